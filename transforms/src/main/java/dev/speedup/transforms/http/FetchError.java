package dev.speedup.transforms.http;

import dev.speedup.transforms.Durations;
import dev.speedup.transforms.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/** Why an attempt failed, told from what the HTTP client threw: the failure's kind and its message. */
record FetchError(FailureKind kind, String message) {
  static FetchError of(Throwable error, URI uri, Duration timeout) {
    if (error instanceof LimitedBodySubscriber.BodyTooLargeException) {
      return new FetchError(FailureKind.TOO_LARGE, error.getMessage());
    }
    if (error instanceof GzipBody.DamagedException) {
      return new FetchError(FailureKind.CONNECTION, error.getMessage());
    }
    if (error instanceof HttpTimeoutException || error instanceof TimeoutException) {
      return new FetchError(FailureKind.TIMEOUT, "no complete answer within " + Durations.format(timeout));
    }
    if (certificateRefused(error)) {
      String words = clientsWords(error);
      return new FetchError(FailureKind.CONNECTION, namesAnotherHost(words)
          ? "the server's TLS certificate is not for " + uri.getHost() + " (" + words + ")"
          : "the server's TLS certificate is not trusted (" + words + "); a private CA's certificate can be trusted with"
              + " -Djavax.net.ssl.trustStore=FILE in JAVA_OPTS");
    }
    if (error instanceof javax.net.ssl.SSLException) {
      return new FetchError(FailureKind.CONNECTION, "TLS with " + uri.getHost() + ":" + Redirects.port(uri) + " failed: " + clientsWords(error));
    }
    if (error instanceof ConnectException) {
      return new FetchError(FailureKind.CONNECTION, "could not connect to " + uri.getHost() + ":" + Redirects.port(uri));
    }
    if (error instanceof ProtocolException) {
      return new FetchError(FailureKind.CONNECTION, "the answer is not valid HTTP/1.1: " + clientsWords(error));
    }
    if (error instanceof IOException) {
      // The client's own words say which: "Connection reset", a short body ("fixed content-length: N,
      // bytes received: M"), a broken chunk header; a server's fault is found from them.
      return new FetchError(FailureKind.CONNECTION, "connection failed before the whole answer arrived: " + clientsWords(error));
    }
    if (error instanceof NumberFormatException) {
      // The JDK client reads Content-Length with Long.parseLong and lets its failure through ("abc", 2^64).
      return new FetchError(FailureKind.CONNECTION,
          "the answer is not valid HTTP/1.1: a number in its headers cannot be read (" + clientsWords(error) + ")");
    }
    return new FetchError(FailureKind.CONNECTION,
        "request failed: " + error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + clientsWords(error)));
  }

  /** Whether {@code error} is a TLS handshake that failed on the server's certificate (its trust or its names). */
  static boolean certificateRefused(Throwable error) {
    if (!(error instanceof javax.net.ssl.SSLHandshakeException)) {
      return false;
    }
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.security.cert.CertificateException) {
        return true;
      }
    }
    // The JDK's own words when it has no cause to give: no certification path, or no name matching the host.
    String m = String.valueOf(error.getMessage());
    return m.contains("PKIX path") || namesAnotherHost(m);
  }

  /** Whether a handshake's message says the certificate is for other host names (the JDK's words). */
  private static boolean namesAnotherHost(String message) {
    return message.contains("No name matching") || message.contains("No subject alternative");
  }

  /** An exception's message, which may quote what a server sent: on one line and at most 200 characters. */
  static String clientsWords(Throwable error) {
    String words = Objects.requireNonNullElse(error.getMessage(), error.getClass().getSimpleName()).replaceAll("[\\s\\p{Cntrl}]+", " ");
    return words.length() <= 200 ? words : words.substring(0, 197) + "...";
  }
}
