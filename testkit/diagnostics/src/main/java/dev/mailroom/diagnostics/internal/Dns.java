package dev.mailroom.diagnostics.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Name lookups with a hard time limit: host addresses through the system resolver, MX records through
 * JNDI's DNS provider ({@code com.sun.jndi.dns}), optionally against given DNS servers (tests point it at a
 * fake server on loopback).
 */
public final class Dns {
  private Dns() {}

  /**
   * Resolves a host name within {@code timeout}.
   *
   * @throws UnknownHostException if the name does not resolve
   * @throws java.net.SocketTimeoutException if the resolver does not answer in time
   */
  public static List<InetAddress> resolve(String host, Duration timeout) throws IOException {
    try {
      return bounded(() -> List.of(InetAddress.getAllByName(host)), timeout);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException) {
        throw (UnknownHostException) e.getCause();
      }
      throw new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new UnknownHostException(host + ": the name service did not answer within " + timeout.toMillis()
          + " ms");
    }
  }

  /**
   * Looks up the MX hosts of a domain, best preference first.
   *
   * @param domain the domain
   * @param servers DNS servers as {@code host[:port]}, or empty for the system's
   * @param timeout the limit for the whole lookup
   * @return the MX host names in lower case without the trailing dot; empty if there are none
   * @throws IOException if the lookup failed or timed out
   */
  public static List<String> mx(String domain, List<String> servers, Duration timeout) throws IOException {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    StringBuilder url = new StringBuilder();
    if (servers.isEmpty()) {
      url.append("dns:");
    } else {
      for (String s : servers) {
        url.append(url.length() == 0 ? "" : " ").append("dns://").append(s);
      }
    }
    env.put(Context.PROVIDER_URL, url.toString());
    env.put("com.sun.jndi.dns.timeout.initial", String.valueOf(Math.max(100, timeout.toMillis() / 2)));
    env.put("com.sun.jndi.dns.timeout.retries", "1");
    try {
      return bounded(() -> {
        DirContext ctx = new InitialDirContext(env);
        try {
          Attributes attrs = ctx.getAttributes(domain, new String[] {"MX"});
          Attribute mx = attrs.get("MX");
          List<String[]> records = new ArrayList<>();
          if (mx != null) {
            NamingEnumeration<?> e = mx.getAll();
            while (e.hasMore() && records.size() < 50) {
              String[] parts = String.valueOf(e.next()).trim().split("\\s+");
              if (parts.length == 2) {
                records.add(parts);
              }
            }
          }
          records.sort(Comparator.comparingInt(r -> parseInt(r[0])));
          List<String> hosts = new ArrayList<>();
          for (String[] r : records) {
            String h = r[1].toLowerCase(Locale.ROOT);
            hosts.add(h.endsWith(".") ? h.substring(0, h.length() - 1) : h);
          }
          return hosts;
        } catch (NameNotFoundException e) {
          return List.<String>of();
        } finally {
          ctx.close();
        }
      }, timeout);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw new IOException(c instanceof NamingException ? "DNS lookup failed: " + c.getMessage()
          : String.valueOf(c), c);
    } catch (TimeoutException e) {
      throw new IOException("no DNS answer within " + timeout.toMillis() + " ms");
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static <T> T bounded(Callable<T> task, Duration timeout)
      throws ExecutionException, TimeoutException, IOException {
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mailroom-dns");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<T> f = ex.submit(task);
      try {
        return f.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        f.cancel(true);
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        f.cancel(true);
        throw new IOException("interrupted while waiting for DNS", e);
      }
    } finally {
      ex.shutdownNow();
    }
  }
}
