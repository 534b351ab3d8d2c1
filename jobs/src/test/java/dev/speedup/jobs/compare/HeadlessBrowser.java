package dev.speedup.jobs.compare;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Assume;

/**
 * Opens a page in headless Chromium (Debian's {@code chromium}) and reports what it laid out: a probe script
 * appended to a copy of the page measures headings, the verdict, the images and the table after load, and the
 * DOM is dumped; a screenshot is taken too. Without Chromium the test is skipped, except under CI, where
 * {@code .ci/run} installs it and its absence is a failure.
 */
final class HeadlessBrowser {
  private static final String PROBE = """
      <script>
      window.addEventListener('load', () => {
        const box = e => e.getBoundingClientRect();
        const r = {};
        r.headings = [...document.querySelectorAll('h2')].filter(e => e.offsetParent !== null).map(e => e.textContent);
        r.verdict = [...document.querySelectorAll('#verdict li')].map(li => ({text: li.innerText, height: box(li).height, bottom: box(li).bottom}));
        r.images = [...document.querySelectorAll('#charts img')].map(i => ({id: i.id, complete: i.complete,
          naturalWidth: i.naturalWidth, width: box(i).width, top: box(i).top}));
        const t = document.querySelector('#configurations table');
        r.table = {headers: [...t.querySelectorAll('th')].map(th => th.innerText),
          rows: [...t.querySelectorAll('tbody tr')].filter(tr => box(tr).height > 0).map(tr => [...tr.cells].map(c => c.innerText))};
        const pre = document.createElement('pre');
        pre.id = 'probe';
        pre.textContent = JSON.stringify(r);
        document.body.appendChild(pre);
      });
      </script>
      """;

  record Rendered(JsonNode probe, Path screenshot) {}

  private HeadlessBrowser() {}

  static Rendered render(Path html, Path work) throws IOException, InterruptedException {
    String chromium = find();
    Path page = work.resolve("probed.html");
    Files.writeString(page, Files.readString(html).replace("</body>", PROBE + "</body>"));
    List<String> base = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + work.resolve("profile"),
        "--window-size=1400,2000", "--virtual-time-budget=10000"));
    List<String> dump = new ArrayList<>(base);
    dump.addAll(List.of("--dump-dom", page.toUri().toString()));
    String dom = run(dump, work.resolve("dump.log"));
    Matcher m = Pattern.compile("<pre id=\"probe\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    if (!m.find()) {
      fail("the probe did not run in the page; Chromium printed: " + dom.substring(0, Math.min(2000, dom.length())));
    }
    String text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    Path shot = work.resolve("report.png");
    List<String> screenshot = new ArrayList<>(base);
    screenshot.addAll(List.of("--screenshot=" + shot, html.toUri().toString()));
    run(screenshot, work.resolve("screenshot.log"));
    return new Rendered(new ObjectMapper().readTree(text), shot);
  }

  /** The share of pixels that are not near-white. */
  static double inkShare(BufferedImage img) {
    long ink = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        if (((rgb >> 16) & 0xff) < 200 || ((rgb >> 8) & 0xff) < 200 || (rgb & 0xff) < 200) {
          ink++;
        }
      }
    }
    return (double) ink / ((long) img.getWidth() * img.getHeight());
  }

  private static String find() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    if (System.getenv("CI") != null) {
      fail("CI must render the report in Chromium, and none is installed (.ci/run installs Debian's chromium package)");
    }
    Assume.assumeTrue("Chromium is not installed (apt-get install -y chromium): the rendered-report test is skipped", false);
    return null;
  }

  private static String run(List<String> cmd, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("Chromium did not finish within 2 minutes: " + cmd);
    }
    assertEquals("Chromium failed: " + Files.readString(log), 0, p.exitValue());
    return new String(out, StandardCharsets.UTF_8);
  }
}
