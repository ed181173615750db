package io.hubbletopology.deploy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The live map in real headless Chromium (Debian's chromium and chromedriver, driven by Selenium as
 * LiveMapBrowserIT does), measured from inside the page: what it draws (the page's
 * {@code window.hubbleTopology.stats()} when it has one, else a count of the Cytoscape graph's workloads and edges),
 * its frame times (requestAnimationFrame deltas) and its JS heap ({@code performance.memory}).
 */
final class PageMeter implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** What the page says it shows, from stats() when present, else counted on its Cytoscape graph. */
    private static final String STATS = """
            const h = window.hubbleTopology || {};
            if (typeof h.stats === 'function') {
              const s = h.stats();
              return {source: 'stats()', nodes: s.nodes, edges: s.edges, firstDrawMs: s.firstDrawMs,
                      snapshotFirstMs: s.snapshotFirstMs, snapshotInMs: s.snapshotInMs, snapshot: s.snapshot,
                      readMs: s.readMs, applyMs: s.applyMs, holdsExpired: s.holdsExpired,
                      updatesApplied: s.updatesApplied, lastBatchMs: s.lastBatchMs, collapsed: s.collapsedNamespaces};
            }
            if (h.cy) {
              return {source: 'cy', nodes: h.cy.nodes(':childless').length, edges: h.cy.edges().length};
            }
            return {source: 'none', nodes: 0, edges: 0};
            """;
    private static final String START_SAMPLING = """
            const b = window.__pageBench = {deltas: [], heap: []};
            let last;
            function frame(t) {
              if (last !== undefined) { b.deltas.push(t - last); }
              last = t;
              if (!b.stopped) { requestAnimationFrame(frame); }
            }
            requestAnimationFrame(frame);
            b.heapTimer = setInterval(function () {
              if (performance.memory) { b.heap.push(performance.memory.usedJSHeapSize); }
            }, 1000);
            """;
    private static final String STOP_SAMPLING = """
            const b = window.__pageBench;
            b.stopped = true;
            clearInterval(b.heapTimer);
            return {deltas: b.deltas, heap: b.heap};
            """;

    private final WebDriver browser;

    private PageMeter(WebDriver browser) {
        this.browser = browser;
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static PageMeter open(int width, int height) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--enable-precise-memory-info", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("chromium-bench-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new PageMeter(new ChromeDriver(service, options));
    }

    void load(String url) {
        browser.get(url);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> stats() {
        return (Map<String, Object>) script(STATS);
    }

    void startSampling() {
        script(START_SAMPLING);
    }

    /** The frame times (ms) and JS heap samples (bytes) since {@link #startSampling}. */
    @SuppressWarnings("unchecked")
    Samples stopSampling() {
        Map<String, Object> raw = (Map<String, Object>) script(STOP_SAMPLING);
        List<Double> frames = new ArrayList<>();
        ((List<Object>) raw.get("deltas")).forEach(d -> frames.add(((Number) d).doubleValue()));
        List<Long> heap = new ArrayList<>();
        ((List<Object>) raw.get("heap")).forEach(h -> heap.add(((Number) h).longValue()));
        return new Samples(frames, heap);
    }

    void screenshot(Path file) throws Exception {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private boolean closed;

    private Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    /** Quits the browser; again is a no-op. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            browser.quit();
        }
    }

    record Samples(List<Double> frameMs, List<Long> heapBytes) {

        double percentile(double p) {
            if (frameMs.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = frameMs.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
        }

        double heapMaxMb() {
            return heapBytes.stream().mapToLong(Long::longValue).max().orElse(-1) / 1e6;
        }

        double heapEndMb() {
            return heapBytes.isEmpty() ? -1 : heapBytes.get(heapBytes.size() - 1) / 1e6;
        }
    }
}
