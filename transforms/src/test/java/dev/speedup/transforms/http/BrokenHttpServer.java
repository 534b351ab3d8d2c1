package dev.speedup.transforms.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile server for tests: it answers each request on 127.0.0.1 with the raw bytes given for its path,
 * whatever they are (a broken status line, a bad chunk header, a body shorter than its length), then
 * closes the connection. Jetty, behind the stand-in, only ever writes valid HTTP, so answers like these
 * need a server of their own. Bounded: it stops itself after {@code maxRequests} connections or its
 * lifetime, whichever comes first.
 */
final class BrokenHttpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final Map<String, byte[]> answers;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, String> heads = new ConcurrentHashMap<>();
  private final Thread acceptor;

  BrokenHttpServer(Map<String, String> answersByPath, int maxRequests, Duration lifetime) throws IOException {
    this.answers = new ConcurrentHashMap<>();
    answersByPath.forEach((path, answer) -> answers.put(path, answer.getBytes(StandardCharsets.ISO_8859_1)));
    this.socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    long deadline = System.nanoTime() + lifetime.toNanos();
    this.acceptor = new Thread(() -> acceptUntil(deadline, maxRequests), "broken-http-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
  }

  /** The head (request line and headers) of the last request for {@code path}, or "". */
  String lastHead(String path) {
    return heads.getOrDefault(path, "");
  }

  /** Requests that reached {@code path}. */
  int requests(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  private void acceptUntil(long deadline, int maxRequests) {
    try {
      for (int served = 0; served < maxRequests; served++) {
        socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
        Socket accepted = socket.accept(); // past the lifetime or closed: IOException, the end
        try (Socket connection = accepted) {
          connection.setSoTimeout(5_000);
          String head = requestHead(connection.getInputStream());
          String path = path(head);
          heads.put(path, head);
          requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          byte[] answer = answers.getOrDefault(path, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          connection.getOutputStream().write(answer);
          connection.getOutputStream().flush();
          connection.shutdownOutput(); // the answer ends here, complete or not
        } catch (IOException e) {
          // a client that hung up first, or sent nothing for 5 s: the next connection
        }
      }
    } catch (IOException e) {
      // closed, or the lifetime is over
    } finally {
      close();
    }
  }

  /** The request's head, read up to its end. */
  private static String requestHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && head.length() < 16_384) {
      head.append((char) b);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }

  /** The path of a head's request line, without the query. */
  private static String path(String head) {
    String[] requestLine = head.split(" ", 3);
    String target = requestLine.length > 1 ? requestLine[1] : "";
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
