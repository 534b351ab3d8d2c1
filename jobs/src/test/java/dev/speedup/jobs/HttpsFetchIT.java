package dev.speedup.jobs;

import static dev.speedup.jobs.Launch.JAR;
import static dev.speedup.jobs.Launch.ROOT;
import static dev.speedup.jobs.Launch.launch;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.jobs.Launch.Result;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * fetch over TLS, as the real API is served: a server on 127.0.0.1 with a certificate made for the test
 * (keytool), trusted through {@code javax.net.ssl.trustStore}; the same rows as over plain HTTP, and a
 * certificate that is not trusted, or not for the host, fails each date once with that reason.
 */
public class HttpsFetchIT {
  private static final int DAYS = 12;
  private static final String PASSWORD = "changeit";

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue("keytool finishes", p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(out, 0, p.exitValue());
  }

  /** A server of the stand-in's full days over TLS, at most 4 x DAYS requests, stopped by the caller. */
  private static HttpsServer serve(Path keystore, AtomicInteger requests, ExecutorService pool) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/v1/environment/air-temperature", exchange -> {
      String query = String.valueOf(exchange.getRequestURI().getQuery());
      byte[] body = requests.incrementAndGet() > 4 * DAYS || !query.startsWith("date=") ? new byte[0]
          : AirTemperatureDocuments.fullDay(LocalDate.parse(query.substring(5, 15)));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(body.length == 0 ? 503 : 200, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(pool);
    server.start();
    return server;
  }

  @Test
  public void fetchOverTlsGivesTheRowsPlainHttpGivesAndARefusedCertificateFailsEachDateOnce() throws Exception {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    Path dir = tmp.newFolder("tls").toPath();
    Path keystore = dir.resolve("server.p12");
    Path cert = dir.resolve("server.crt");
    Path truststore = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=IP:127.0.0.1", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-keystore", truststore.toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD);

    AtomicInteger requests = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    HttpsServer server = serve(keystore, requests, pool);
    try (AirTemperatureServer plain = AirTemperatureServer.builder().maxRequests(4 * DAYS).lifetime(Duration.ofMinutes(5)).start()) {
      String tlsApi = "https://127.0.0.1:" + server.getAddress().getPort() + "/v1/environment/air-temperature";
      String trusted = "-Djavax.net.ssl.trustStore=" + truststore + " -Djavax.net.ssl.trustStorePassword=" + PASSWORD;
      Path overTls = dir.resolve("over-tls");
      Result r = launch(JAR, Map.of("JAVA_OPTS", trusted), "fetch", "@" + ROOT.resolve("run-configs/async.args"),
          "--apiUrl=" + tlsApi, "--days=" + DAYS, "--output=" + overTls);
      assertEquals(r.output(), 0, r.code());
      Path overHttp = dir.resolve("over-http");
      Result p = launch(JAR, Map.of(), "fetch", "@" + ROOT.resolve("run-configs/async.args"),
          "--apiUrl=" + plain.endpoint(), "--days=" + DAYS, "--output=" + overHttp);
      assertEquals(p.output(), 0, p.code());
      assertArrayEquals(Files.readAllBytes(overHttp.resolve("station-days.csv")), Files.readAllBytes(overTls.resolve("station-days.csv")));
      assertEquals(DAYS, requests.get());

      // Not trusted (the JDK's own trust store), and trusted but asked for by another name: one attempt a date.
      Result untrusted = launch(JAR, Map.of(), "fetch", "@" + ROOT.resolve("run-configs/async.args"),
          "--apiUrl=" + tlsApi, "--days=3", "--output=" + dir.resolve("untrusted"));
      assertEquals(untrusted.output(), 3, untrusted.code());
      String failures = Files.readString(dir.resolve("untrusted/failures.jsonl"));
      assertThat(failures, containsString("\"attempts\":1,\"message\":\"the server's TLS certificate is not trusted"));
      assertEquals(3, failures.lines().count());
      Result wrongName = launch(JAR, Map.of("JAVA_OPTS", trusted), "fetch", "@" + ROOT.resolve("run-configs/async.args"),
          "--apiUrl=" + tlsApi.replace("127.0.0.1", "localhost"), "--days=2", "--output=" + dir.resolve("wrong-name"));
      assertEquals(wrongName.output(), 3, wrongName.code());
      assertThat(Files.readString(dir.resolve("wrong-name/failures.jsonl")),
          containsString("\"attempts\":1,\"message\":\"the server's TLS certificate is not for localhost"));
    } finally {
      server.stop(0);
      pool.shutdownNow();
    }
  }
}
