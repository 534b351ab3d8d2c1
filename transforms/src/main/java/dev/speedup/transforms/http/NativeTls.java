package dev.speedup.transforms.http;

import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.conscrypt.Conscrypt;

/**
 * TLS by BoringSSL, through Conscrypt, for the HTTP clients' https exchanges. The JDK's own AES-GCM and
 * GHASH have fast intrinsics only in C2-compiled code; under C1, which short runs use, they run as plain
 * Java, and decrypting the API's bodies cost several times what parsing them does. Certificates are checked
 * by the JDK's default trust managers (its {@code cacerts}, or {@code javax.net.ssl.trustStore} when set),
 * host names by the client as for any other context. Where Conscrypt's native library cannot load (a
 * platform its jar does not bundle) there is none, and the JDK's TLS is used.
 */
final class NativeTls {
  private NativeTls() {}

  private static final class Holder {
    static final @Nullable SSLContext CONTEXT = build();
  }

  /** The context, built on first use (about a third of a second); null where BoringSSL is unavailable. */
  static @Nullable SSLContext context() {
    return Holder.CONTEXT;
  }

  private static @Nullable SSLContext build() {
    try {
      if (!Conscrypt.isAvailable()) {
        return null;
      }
      SSLContext context = SSLContext.getInstance("TLS", Conscrypt.newProvider());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init((KeyStore) null);
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (Exception | LinkageError e) { // no native library for this platform, or a provider that fails
      return null;
    }
  }
}
