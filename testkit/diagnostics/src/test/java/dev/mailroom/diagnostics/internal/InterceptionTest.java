package dev.mailroom.diagnostics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterceptionTest {
  @Test
  void recognizesInterceptingIssuers() {
    assertThat(Interception.product("CN=Avast Web/Mail Shield Root,O=Avast Web/Mail Shield")).hasValue("Avast");
    assertThat(Interception.product("CN=ESET SSL Filter CA,O=ESET spol. s r. o.")).hasValue("ESET");
    assertThat(Interception.product("CN=Kaspersky Anti-Virus Personal Root Certificate")).hasValue("Kaspersky");
    assertThat(Interception.product("CN=Zscaler Intermediate Root CA,O=Zscaler Inc.")).hasValue("Zscaler");
    assertThat(Interception.product("CN=FortiGate CA,O=Fortinet")).hasValue("Fortinet FortiGate");
    assertThat(Interception.product("CN=Cisco Umbrella Secondary SubCA ams-SG,O=Cisco")).hasValue("Cisco Umbrella");
    assertThat(Interception.product("CN=GTS CA 1C3,O=Google Trust Services LLC,C=US")).isEmpty();
    assertThat(Interception.product("CN=R11,O=Let's Encrypt,C=US")).isEmpty();
    assertThat(Interception.product("CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US")).isEmpty();
  }
}
