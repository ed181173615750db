package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;

/**
 * The live map in real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs):
 * the page loads from the jar's own assets, draws the simulated cluster's workloads and edges, lists this
 * machine's interfaces, its indicator reads connected, the flows panel tails flows with drops highlighted,
 * and clicking an edge lists that edge's recent flows. A screenshot is saved under target/.
 */
class LiveMapBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    @Timeout(180)
    void thePageShowsTheDemoTopologyLinksAndAConnectedIndicator(@TempDir Path dir) throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(present, "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver)");
        }
        assertThat(present).as("CI installs Chromium and ChromeDriver in .ci/run").isTrue();

        String kafka = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.prefixed("browser-it.");
        ProcessorRole processor = new ProcessorRole(() -> new ProcessorConfig(kafka, Map.of(), "browser-it", null,
                dir.resolve("state"), 1, 0, Duration.ofMillis(200), false, Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofHours(1), topics, 2, (short) 1), new ApiSettings("127.0.0.1", 0, "both"));
        try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(3)::next)
                .flowsPerSecond(300).start()) {
            Map<String, String> ingestSettings = new java.util.HashMap<>(KafkaSettings.topicOverrides(topics));
            ingestSettings.putAll(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka, IngestConfig.NODE_NAME.name(), "browser-node",
                    IngestConfig.HUBBLE_ADDR.name(), "127.0.0.1:" + hubble.port(), IngestConfig.HEALTH_PORT.name(), "0",
                    IngestConfig.FLOWS_RETENTION.name(), "1h"));
            IngestRole ingest = new IngestRole(() -> IngestConfig.of(ingestSettings));
            processor.start();
            ingest.start();
            WebDriver browser = null;
            try {
                String page = "http://127.0.0.1:" + processor.apiPort() + "/";
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        Http.totalFlows(Http.get(page + "topology").body()) > 0
                                && Http.get(page + "links").body().path("links").findValuesAsText("name").contains("lo"));

                browser = chromium();
                browser.get(page);
                WebDriver b = browser;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> b.findElement(By.id("connection")).getText().equals("connected"));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> workloads(b) >= 5 && b.findElements(By.cssSelector("#edges tbody tr")).size() >= 5);

                String stats = browser.findElement(By.id("stats")).getText();
                assertThat(stats).matches("\\d+ workloads, \\d+ edges");
                List<String> interfaces = texts(browser, "#links tbody tr td:nth-child(2)");
                assertThat(interfaces).contains("lo");
                assertThat(browser.findElements(By.cssSelector("#edges tbody tr.dropped"))).as("drops stand out").isNotEmpty();
                List<String> namespaces = texts(browser, "#namespace option");
                assertThat(namespaces).contains("shop", "data", "payments");

                // The live flows panel fills from /ws/flows, drops highlighted.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> b.findElements(By.cssSelector("#flows tbody tr")).size() >= 10
                                && !b.findElements(By.cssSelector("#flows tbody tr.DROPPED")).isEmpty());

                // Clicking the dropped edge lists its recent flows.
                Map<String, Object> point = clickablePointOfDroppedEdge(browser);
                new Actions(browser).moveToElement(browser.findElement(By.id("map")),
                        ((Number) point.get("x")).intValue() - ((Number) point.get("w")).intValue() / 2,
                        ((Number) point.get("y")).intValue() - ((Number) point.get("h")).intValue() / 2).click().perform();
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                        .until(() -> b.findElement(By.id("edge-flows")).isDisplayed()
                                && !b.findElements(By.cssSelector("#edge-flows tbody tr")).isEmpty());
                assertThat(texts(browser, "#edge-flows tbody tr td:nth-child(4)")).allSatisfy(t -> assertThat(t).startsWith("DROPPED"));

                Path shot = Path.of("target", "live-map.png");
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                assertThat(Files.size(shot)).isGreaterThan(10_000);

                // With a namespace picked, the Policies button shows its suggested policies and offers them as a download.
                assertThat(browser.findElement(By.id("policies")).isEnabled()).as("no namespace picked yet").isFalse();
                ((JavascriptExecutor) browser).executeScript("const s = document.getElementById('namespace'); s.value = 'payments';"
                        + " s.dispatchEvent(new Event('change'));");
                browser.findElement(By.id("policies")).click();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                        .until(() -> b.findElement(By.id("policy-yaml")).getText().contains("kind: CiliumNetworkPolicy"));
                String yaml = browser.findElement(By.id("policy-yaml")).getText();
                assertThat(yaml).contains("namespace: payments").contains("toFQDNs").contains("api.stripe.com");
                WebElement download = browser.findElement(By.id("policy-download"));
                assertThat(download.isDisplayed()).isTrue();
                assertThat(download.getAttribute("download")).isEqualTo("policies-payments.yaml");
                assertThat(download.getAttribute("href")).startsWith("blob:");
            } finally {
                if (browser != null) {
                    browser.quit();
                }
                ingest.stop();
                processor.stop();
            }
        }
    }

    /**
     * The texts (or option values) of the elements a selector matches, read in one go inside the page: the page
     * redraws its tables twice a second, so elements found one call earlier may be gone.
     */
    @SuppressWarnings("unchecked")
    private static List<String> texts(WebDriver browser, String css) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.value !== undefined && e.tagName === 'OPTION'"
                        + " ? e.value : e.textContent);", css);
    }

    /** Where the frontend-to-postgres edge (always dropped by policy) is drawn, relative to the map's top left. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> clickablePointOfDroppedEdge(WebDriver browser) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "const cy = window.hubbleTopology.cy;"
                        + "const e = cy.edges().filter(x => x.data('source') === 'shop/deployment/frontend'"
                        + " && x.data('target') === 'data/statefulset/postgres')[0];"
                        + "const p = e.renderedMidpoint(); const c = cy.container();"
                        + "return {x: p.x, y: p.y, w: c.clientWidth, h: c.clientHeight};");
    }

    private static int workloads(WebDriver browser) {
        String stats = browser.findElement(By.id("stats")).getText();
        return Integer.parseInt(stats.substring(0, stats.indexOf(' ')));
    }

    private static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1400,900",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
