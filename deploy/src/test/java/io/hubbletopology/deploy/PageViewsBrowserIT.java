package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The page's views in real headless Chromium against one simulated cluster: the range control (a REST range,
 * then live again), the scrubber, compare, the edge panel, the workload panel, the drops view, a shared URL,
 * namespace collapse, and last (it restarts the processor) the live feed dropping and coming back.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Alone, not beside another test class (deploy/pom.xml): a browser on a busy machine answers scripts late.
@Isolated
class PageViewsBrowserIT {

    // Generous: on a loaded 2-core machine the page's first draw alone was seen to take 30 s.
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String FRONTEND = "shop/deployment/frontend";

    @TempDir
    static Path dir;
    private static PageStack stack;
    private static WebDriver browser;
    private static Instant started;

    @BeforeAll
    static void start() throws Exception {
        PageStack.assumeChromium();
        started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        stack = PageStack.start("page-views-it", dir);
        browser = PageStack.chromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void switchingToAnHourShowsTheRestAnswerAndLiveResumesUpdates() throws Exception {
        open("");
        await().atMost(WAIT).until(() -> text("#connection").equals("connected") && stat("updatesApplied") > 0);

        choose("range", "1h");
        await().atMost(WAIT).until(() -> "1h".equals(stats().get("range")) && text("#connection").equals("paused")
                && Boolean.TRUE.equals(stats().get("snapshot")));
        Set<String> rest = edgeIds(Http.get(stack.page() + "api/v1/topology?last=1h").body());
        await().atMost(WAIT).until(() -> mapEdgeIds().equals(rest) || mapEdgeIds().equals(
                edgeIds(Http.get(stack.page() + "api/v1/topology?last=1h").body())));
        assertThat(browser.getCurrentUrl()).contains("range=1h");
        long pausedAt = stat("updatesApplied");

        choose("range", "live");
        await().atMost(WAIT).until(() -> text("#connection").equals("connected") && stat("updatesApplied") > pausedAt + 20);
        assertThat(stats().get("range")).isEqualTo("live");
        assertThat(browser.getCurrentUrl()).doesNotContain("range=");
    }

    @Test
    void compareMarksTheEdgesNewSinceTheRangeBefore() throws Exception {
        // The range before this one ends before the cluster started: every edge of this range is new.
        Instant from = started.minusSeconds(60);
        open("?range=custom&from=" + from + "&to=" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "&compare=1");
        await().atMost(WAIT).until(() -> browser.findElement(By.id("changes-panel")).isDisplayed()
                && !PageStack.texts(browser, "#changes tbody tr td:first-child").isEmpty());
        Object marked = js("return window.hubbleTopology.cy.getElementById(arguments[0]).hasClass('new');", PageStack.DROPPED_EDGE);
        assertThat(marked).isEqualTo(true);
        List<String> changes = PageStack.texts(browser, "#changes tbody tr td:first-child");
        assertThat(changes).isNotEmpty().allSatisfy(c -> assertThat(c).isEqualTo("new"));
        assertThat(changes).hasSize(((Number) stats().get("edges")).intValue());
        // textContent: the heading is upper-cased by CSS, and getText() reads it as shown.
        assertThat(PageStack.texts(browser, "#changes-status")).singleElement().asString().contains(changes.size() + " new, 0 gone");
    }

    @Test
    void clickingAnEdgeChartsItsSeriesAndListsItsFlowsFromTheHistory() throws Exception {
        open("?range=1h");
        awaitDrawn();
        PageStack.clickOnMap(browser, PageStack.DROPPED_EDGE);
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("#edge-chart .uplot canvas")).isEmpty()
                && !browser.findElements(By.cssSelector("#edge-flows tbody tr")).isEmpty());
        int windows = Integer.parseInt(text("#edge-note").split(" ")[0]);
        int restWindows = Http.get(stack.page() + "api/v1/edges?src=" + FRONTEND + "&dst=data/statefulset/postgres&port=5432&last=1h")
                .body().path("windows").size();
        assertThat(windows).isPositive().isBetween(restWindows - 1, restWindows);
        assertThat(PageStack.texts(browser, "#edge-figures tbody td")).contains("drop reasons").anySatisfy(t -> assertThat(t).contains("POLICY_DENIED"));
        assertThat(PageStack.texts(browser, "#edge-flows tbody tr td:nth-child(4)")).allSatisfy(t -> assertThat(t).startsWith("DROPPED"));

        String link = browser.findElement(By.id("edge-flows-link")).getAttribute("href");
        assertThat(query(link)).containsEntry("src", FRONTEND).containsEntry("dst", "data/statefulset/postgres")
                .containsEntry("protocol", "tcp").containsEntry("port", "5432").containsEntry("since", "1h");
        JsonNode flows = Http.get(link).body().path("flows");
        assertThat(flows).isNotEmpty().allSatisfy(f -> {
            assertThat(f.path("source").path("id").asText()).isEqualTo(FRONTEND);
            assertThat(f.path("destination").path("id").asText()).isEqualTo("data/statefulset/postgres");
        });
        assertThat(browser.getCurrentUrl()).contains("edge=" + URLEncoder.encode(PageStack.DROPPED_EDGE, StandardCharsets.UTF_8));
    }

    @Test
    void clickingAWorkloadShowsItsLabelsPodsEdgesAndDrops() throws Exception {
        open("?range=1h");
        awaitDrawn();
        PageStack.clickOnMap(browser, FRONTEND);
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("#workload-pods li")).isEmpty());
        assertThat(PageStack.texts(browser, "#workload-labels tbody td")).containsSequence("app", "frontend");
        assertThat(PageStack.texts(browser, "#workload-pods li")).allSatisfy(p -> assertThat(p).startsWith("frontend-"));
        assertThat(PageStack.texts(browser, "#workload-out tbody tr td:first-child")).contains("postgres", "cart");
        assertThat(PageStack.texts(browser, "#workload-in tbody tr td:first-child")).isNotEmpty();
        assertThat(PageStack.texts(browser, "#workload-drops tbody tr td:first-child")).contains("POLICY_DENIED");
    }

    @Test
    void theDropsViewListsADroppedEdgesReasonOneClickFromItsFlows() throws Exception {
        open("?range=1h");
        awaitDrawn();
        browser.findElement(By.id("drops-toggle")).click();
        By row = By.cssSelector("#drops tbody tr[data-reason='POLICY_DENIED'][data-edge='" + PageStack.DROPPED_EDGE + "']");
        await().atMost(WAIT).until(() -> !browser.findElements(row).isEmpty());
        assertThat(browser.findElement(row).getText()).contains("frontend \u2192 postgres :5432");

        String window = browser.getWindowHandle();
        browser.findElement(row).findElement(By.cssSelector("a.drop-flows")).click();
        try {
            await().atMost(WAIT).until(() -> browser.getWindowHandles().size() == 2);
            browser.getWindowHandles().stream().filter(h -> !h.equals(window)).findFirst().ifPresent(h -> browser.switchTo().window(h));
            await().atMost(WAIT).until(() -> browser.findElement(By.tagName("body")).getText().contains("\"flows\""));
            JsonNode flows = new ObjectMapper().readTree(browser.findElement(By.tagName("body")).getText()).path("flows");
            assertThat(flows).isNotEmpty().allSatisfy(f -> {
                assertThat(f.path("drop_reason").asText()).isEqualTo("POLICY_DENIED");
                assertThat(f.path("source").path("id").asText()).isEqualTo(FRONTEND);
            });
        } finally {
            if (!browser.getWindowHandle().equals(window)) {
                browser.close();
            }
            browser.switchTo().window(window);
        }
    }

    @Test
    void aSharedUrlOpensTheSameViewInAFreshPage() throws Exception {
        open("");
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(stats().get("snapshot")));
        choose("range", "6h");
        choose("namespace", "shop");
        awaitDrawn();
        PageStack.clickOnMap(browser, PageStack.DROPPED_EDGE);
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().contains("edge="));
        String shared = browser.getCurrentUrl();
        String title = text("#edge-title");

        String window = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        try {
            browser.get(shared);
            await().atMost(WAIT).until(() -> Boolean.TRUE.equals(stats().get("snapshot")) && !text("#edge-title").isEmpty());
            assertThat(browser.findElement(By.id("range")).getAttribute("value")).isEqualTo("6h");
            assertThat(browser.findElement(By.id("namespace")).getAttribute("value")).isEqualTo("shop");
            assertThat(stats().get("range")).isEqualTo("6h");
            assertThat(text("#edge-title")).isEqualTo(title);
            assertThat(browser.findElement(By.id("edge-panel")).isDisplayed()).isTrue();
            assertThat(mapEdgeIds()).isNotEmpty().allSatisfy(id -> assertThat(id).contains("shop/"));
        } finally {
            browser.close();
            browser.switchTo().window(window);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE - 2)   // late: the snapshot then has settled windows as well as open ones
    void liveAnEdgesFlowsAreItsFlowsSinceTheSnapshotStartAcrossWindowsAsRestCountsThem() throws Exception {
        open("");
        await().atMost(WAIT).until(() -> text("#connection").equals("connected") && Boolean.TRUE.equals(stats().get("snapshot"))
                && stats().get("flowsSince") != null);
        String since = (String) stats().get("flowsSince");
        // The tables, and their headings, are drawn twice a second.
        await().atMost(WAIT).until(() -> PageStack.texts(browser, "#edges-status").equals(List.of("(flows since " + since.substring(11, 19) + " UTC)")));
        // The busiest edge: it gets an update in every window.
        String busiest = null;
        long most = -1;
        for (JsonNode l : Http.get(stack.page() + "api/v1/topology?from=" + since + "&to=" + Instant.now()).body().path("links")) {
            if (l.path("flows").asLong() > most) {
                most = l.path("flows").asLong();
                busiest = edgeId(l);
            }
        }
        String edge = busiest;
        long before = pageFlows(edge);
        // Past the next window boundary (windows of 1m, the default): the updates then carry a window the
        // snapshot did not have, which the page must add to what it had, not show alone.
        Instant boundary = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(65);
        await().atMost(WAIT).until(() -> Instant.now().isAfter(boundary));
        // What the page shows lies between what the stores held just before and just after it was read (the
        // page's live states run ahead of the stores' commits).
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            long low = restFlows(since, edge);
            long shown = pageFlows(edge);
            Thread.sleep(2_500);
            long high = restFlows(since, edge);
            assertThat(shown).as("flows of %s since %s: the stores had %d, then %d", edge, since, low, high)
                    .isGreaterThanOrEqualTo(before).isBetween(low, high);
        });
    }

    private static long pageFlows(String edge) {
        return ((Number) js("const m = window.HT.map.edges.get(arguments[0]); return m ? m.e.flows : -1;", edge)).longValue();
    }

    private static long restFlows(String since, String edge) throws Exception {
        for (JsonNode l : Http.get(stack.page() + "api/v1/topology?from=" + since + "&to=" + Instant.now()).body().path("links")) {
            if (edgeId(l).equals(edge)) {
                return l.path("flows").asLong();
            }
        }
        return 0;
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)   // late: by then the retention is longer than the range, so the scrubber has room
    void movingTheScrubberShowsAnEarlierRangeOfTheSameLengthAndPutsItInTheUrl() throws Exception {
        Instant oldest = Instant.parse(Http.get(stack.page() + "api/v1/flows?since=7d&limit=1&order=oldest").body()
                .path("earliest_available").asText());
        // The range is chosen only once the retention is twice its length: the start of the retention is then
        // an earlier range of the same length that ends before this one (CI once chose it too early).
        await().atMost(WAIT).until(() -> Instant.now().isAfter(oldest.plusSeconds(62)));
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minusSeconds(30);
        open("?range=custom&from=" + from + "&to=" + to);
        // The scrubber spans the retention once the page knows it (the label then says from when).
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(stats().get("snapshot")) && text("#range-label").contains("retention from"));

        // Clicked at its left end, as a user would: the range moves to the start of the retention, 30 s long.
        WebElement scrubber = browser.findElement(By.id("scrubber"));
        Runnable clickLeftEnd = () -> new Actions(browser).moveToElement(scrubber, -scrubber.getSize().getWidth() / 2 + 2, 0).click().perform();
        clickLeftEnd.run();
        // A click the range did not take (seen in two of four runs of this class on 2026-12-04, never alone) is
        // clicked again after a few seconds, as a user would, and said in the log; what the page showed is kept
        // for a failure's message.
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            boolean moved = !query(browser.getCurrentUrl()).get("to").equals(to.toString());
            String seen = "the page at " + browser.getCurrentUrl() + ": " + stats() + ", banner '" + text("#partial") + "', scrubber "
                    + js("return document.getElementById('scrubber').value;");
            if (!moved) {
                System.out.println("PageViewsBrowserIT: the scrubber's range did not move after its click; clicking again (" + seen + ")");
                clickLeftEnd.run();
            }
            assertThat(moved && Boolean.TRUE.equals(stats().get("snapshot"))).as("moved and drawn; %s", seen).isTrue();
        });
        Map<String, String> url = query(browser.getCurrentUrl());
        Instant movedFrom = Instant.parse(url.get("from"));
        Instant movedTo = Instant.parse(url.get("to"));
        assertThat(Duration.between(movedFrom, movedTo)).isEqualTo(Duration.ofSeconds(30));
        assertThat(movedTo).isBefore(to);
        assertThat(Duration.between(oldest, movedFrom).abs()).isLessThan(Duration.ofSeconds(3));
        assertThat(url).containsEntry("range", "custom");
        assertThat(stats().get("range")).isEqualTo(Map.of("from", url.get("from"), "to", url.get("to")));

        // The map and the flows table show that range, as the API answers it.
        String range = "from=" + movedFrom + "&to=" + movedTo;
        await().atMost(WAIT).until(() -> mapEdgeIds().equals(edgeIds(Http.get(stack.page() + "api/v1/topology?" + range).body())));
        await().atMost(WAIT).until(() -> !PageStack.texts(browser, "#flows tbody tr").isEmpty());
        String first = movedFrom.toString().substring(11, 19);
        String last = movedTo.toString().substring(11, 19);
        assertThat(PageStack.texts(browser, "#flows tbody tr td:first-child"))
                .allSatisfy(time -> assertThat(time.substring(0, 8)).isBetween(first, last));
    }

    @Test
    void aNamespaceBeyondTheCollapseSizeIsOneNodeUntilClickedAndFoldsBackWhenItsBoxIsClicked() throws Exception {
        // ?collapse=2: the demo's shop (frontend, cart, checkout) is then large.
        open("?collapse=2");
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(stats().get("snapshot"))
                && Boolean.TRUE.equals(js("return window.hubbleTopology.cy.getElementById('ns:shop').hasClass('collapsed');")));
        String label = (String) js("return window.hubbleTopology.cy.getElementById('ns:shop').data('label');");
        assertThat(label).matches("shop\\n\\d+ workloads");
        int count = Integer.parseInt(label.replaceAll("\\D", ""));
        assertThat(drawn(FRONTEND)).as("a workload of a collapsed namespace").isFalse();
        assertThat(drawn("agg:ns:shop>data/statefulset/postgres")).as("its edges to a peer, as one").isTrue();
        assertThat(stat("collapsedNamespaces")).isPositive();
        await().atMost(WAIT).until(() -> text("#stats").endsWith(", " + stat("collapsedNamespaces") + " namespaces collapsed"));

        PageStack.clickOnMap(browser, "ns:shop");
        await().atMost(WAIT).until(() -> drawn(FRONTEND) && browser.getCurrentUrl().contains("open=shop"));
        assertThat(children("ns:shop")).hasSize(count).contains(FRONTEND);
        assertThat(drawn(PageStack.DROPPED_EDGE)).isTrue();

        PageStack.clickNamespaceBox(browser, "ns:shop");
        await().atMost(WAIT).until(() -> !drawn(FRONTEND) && !browser.getCurrentUrl().contains("open="));
        assertThat(js("return window.hubbleTopology.cy.getElementById('ns:shop').hasClass('collapsed');")).isEqualTo(true);
    }

    @Test
    @Order(Integer.MAX_VALUE)   // last: it stops the processor that every other test asks
    void whenTheFeedDropsThePageSaysSoAndComesBackLiveWithAFreshSnapshot() throws Exception {
        open("");
        await().atMost(WAIT).until(() -> text("#connection").equals("connected") && Boolean.TRUE.equals(stats().get("snapshot"))
                && stat("updatesApplied") > 0);

        stack.stopProcessor();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> Set.of("disconnected", "connecting").contains(text("#connection")));
        long whileAway = stat("updatesApplied");
        stack.startProcessor();

        // Back: connected, a fresh snapshot (the map was cleared and drawn again) and updates applied since. A
        // snapshot taken while the restarted processor's group settles is partial: the banner says so until a
        // complete one replaces it.
        Set<String> partialBanners = new HashSet<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            // Read in one script: the page can turn complete between two.
            Object banner = js("const b = document.getElementById('partial');"
                    + " return window.hubbleTopology.stats().partial ? (b.hidden ? '(no banner)' : b.textContent) : null;");
            if (banner != null) {
                partialBanners.add((String) banner);
            }
            return text("#connection").equals("connected") && stat("updatesApplied") > whileAway + 20 && drawn(PageStack.DROPPED_EDGE)
                    && Boolean.FALSE.equals(stats().get("partial"));
        });
        // Partitions still moving, or (reconnected before the processor ran) everything on this instance.
        assertThat(partialBanners).allSatisfy(b -> assertThat(b).matches("Partial: what you see undercounts\\. the live map lacks (partitions [\\d,]+|everything) on .*"));
        assertThat(browser.findElement(By.id("partial")).isDisplayed()).isFalse();
    }

    private static void open(String query) {
        browser.get(stack.page() + query);
    }

    /** Picks an option as a user would: the select's value changes and it fires change. */
    private static void choose(String select, String value) {
        await().atMost(WAIT).until(() -> PageStack.texts(browser, "#" + select + " option").contains(value));
        js("const s = document.getElementById(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change'));", select, value);
    }

    private static void awaitDrawn() {
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(stats().get("snapshot"))
                && ((JavascriptExecutor) browser).executeScript("return window.hubbleTopology.cy.getElementById(arguments[0]).nonempty();",
                PageStack.DROPPED_EDGE).equals(true));
    }

    private static boolean drawn(String id) {
        return Boolean.TRUE.equals(js("return window.hubbleTopology.cy.getElementById(arguments[0]).nonempty();", id));
    }

    @SuppressWarnings("unchecked")
    private static List<String> children(String namespace) {
        return (List<String>) js("return window.hubbleTopology.cy.getElementById(arguments[0]).children().map(n => n.id());", namespace);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats() {
        return (Map<String, Object>) js("return window.hubbleTopology.stats();");
    }

    private static long stat(String name) {
        return ((Number) stats().get(name)).longValue();
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> mapEdgeIds() {
        return new HashSet<>((List<String>) js("return window.hubbleTopology.cy.edges().map(e => e.id());"));
    }

    /** A REST link's id on the page's map: {@code src|dst|protocol|port}. */
    private static String edgeId(JsonNode l) {
        return l.path("src").asText() + "|" + l.path("dst").asText() + "|" + l.path("protocol").asText() + "|" + l.path("port").asInt();
    }

    private static Set<String> edgeIds(JsonNode topology) {
        Set<String> ids = new HashSet<>();
        for (JsonNode l : topology.path("links")) {
            ids.add(edgeId(l));
        }
        return ids;
    }

    private static Map<String, String> query(String url) {
        Map<String, String> params = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }
}
