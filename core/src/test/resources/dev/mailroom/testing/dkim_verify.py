"""Verifies the DKIM signature of a message with dkimpy (Debian's python3-dkim), the public key supplied
locally instead of from DNS. Arguments: message file, DNS name of the key record, file with the TXT record.
Prints 'pass' or 'fail: <reason>'."""
import logging
import sys

import dkim

message = open(sys.argv[1], "rb").read()
name = sys.argv[2].encode("ascii")
record = open(sys.argv[3], "rb").read()


def dns(qname, timeout=5):
    return record if qname.rstrip(b".") == name else None


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, r):
        self.lines.append(r.getMessage())


log = logging.getLogger("dkimverify")
capture = Capture()
log.addHandler(capture)
log.setLevel(logging.DEBUG)
try:
    ok = dkim.verify(message, logger=log, dnsfunc=dns)
except Exception as e:  # a malformed signature is a failure, with the reason
    ok = False
    capture.lines.append(type(e).__name__ + ": " + str(e))
print("pass" if ok else "fail: " + " | ".join(capture.lines[-5:]))
