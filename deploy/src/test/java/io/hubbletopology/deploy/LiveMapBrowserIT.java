package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The live map in real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs):
 * the page loads from the jar's own assets, draws the simulated cluster's workloads and edges, lists this
 * machine's interfaces, its indicator reads connected, the flows panel tails flows with drops highlighted,
 * and clicking an edge lists that edge's recent flows. A screenshot is saved under target/.
 */
// Alone, not beside another test class (deploy/pom.xml): a browser on a busy machine answers scripts late.
@Isolated
class LiveMapBrowserIT {

    @Test
    @Timeout(300)
    void thePageShowsTheDemoTopologyLinksAndAConnectedIndicator(@TempDir Path dir) throws Exception {
        PageStack.assumeChromium();
        try (PageStack stack = PageStack.start("browser-it", dir)) {
            WebDriver browser = null;
            try {
                String page = stack.page();
                browser = PageStack.chromium();
                browser.get(page);
                WebDriver b = browser;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> b.findElement(By.id("connection")).getText().equals("connected"));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> workloads(b) >= 5 && b.findElements(By.cssSelector("#edges tbody tr")).size() >= 5);

                String stats = browser.findElement(By.id("stats")).getText();
                assertThat(stats).matches("\\d+ workloads, \\d+ edges");
                List<String> interfaces = PageStack.texts(browser, "#links tbody tr td:nth-child(2)");
                assertThat(interfaces).contains("lo");
                assertThat(browser.findElements(By.cssSelector("#edges tbody tr.dropped"))).as("drops stand out").isNotEmpty();
                List<String> namespaces = PageStack.texts(browser, "#namespace option");
                assertThat(namespaces).contains("shop", "data", "payments");

                // The live flows panel fills from /ws/flows, drops highlighted.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> b.findElements(By.cssSelector("#flows tbody tr")).size() >= 10
                                && !b.findElements(By.cssSelector("#flows tbody tr.DROPPED")).isEmpty());

                // Clicking the dropped edge lists its recent flows.
                PageStack.clickOnMap(browser, PageStack.DROPPED_EDGE);
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                        .until(() -> b.findElement(By.id("edge-flows")).isDisplayed()
                                && !b.findElements(By.cssSelector("#edge-flows tbody tr")).isEmpty());
                assertThat(PageStack.texts(browser, "#edge-flows tbody tr td:nth-child(4)")).allSatisfy(t -> assertThat(t).startsWith("DROPPED"));

                // docs/images/page-12-workloads.png is this screenshot (README, "The API").
                Path shot = Path.of("target", "page-12-workloads.png");
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
            }
        }
    }

    private static int workloads(WebDriver browser) {
        String stats = browser.findElement(By.id("stats")).getText();
        return Integer.parseInt(stats.substring(0, stats.indexOf(' ')));
    }
}
