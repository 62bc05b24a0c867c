package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.herald.testing.TestFiles;
import dev.herald.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live connection resumes where it left off: what was sent while a page was cut off (the
 * browser went offline, or Herald restarted on the same port and data) arrives after it reconnects,
 * each event exactly once and in order, in the list and in the SDK's event log.
 */
class ReconnectIT {
  static PageServer pages;
  static Path dataDir;
  static TestServer server;
  static int port;
  static Chromium chromium;
  BrowserContext browser;

  @BeforeAll
  static void start() throws IOException {
    pages = PageServer.start();
    dataDir = Files.createTempDirectory("herald-sdk");
    server = herald(0);
    port = server.port();
    pages.html(InboxPage.PATH, InboxPage.html(server.baseUrl(), TestServer.PUBLISHABLE_KEY));
    chromium = Chromium.launch();
  }

  static TestServer herald(int port) {
    return TestServer.builder()
        .dataDir(dataDir)
        .env("HERALD_PORT", String.valueOf(port))
        .env("HERALD_CORS_ORIGINS", pages.origin())
        .start();
  }

  @AfterAll
  static void stop() {
    chromium.close();
    server.close();
    pages.close();
    TestFiles.deleteQuietly(dataDir);
  }

  @BeforeEach
  void newBrowserProfile() {
    browser = chromium.newContext();
  }

  @AfterEach
  void closeBrowserProfile() {
    browser.close();
  }

  @Test
  void whatHappenedWhileTheBrowserWasOfflineArrivesOnceAndInOrder() {
    HeraldCalls backend = new HeraldCalls(server.api());
    String token = backend.tokenFor("olga");
    backend.sendInApp("olga", "Before");
    InboxPage inbox = InboxPage.open(browser.newPage(), pages.origin(), token).awaitLive();
    PlaywrightAssertions.assertThat(inbox.badge()).hasText("1");

    browser.setOffline(true);
    awaitCutOff(inbox);
    backend.sendInApp("olga", "Missed 1");
    backend.sendInApp("olga", "Missed 2");
    markRead(backend, "olga", "Before");
    backend.sendInApp("olga", "Missed 3");
    assertThat(inbox.titles()).containsExactly("Before");
    browser.setOffline(false);

    inbox.awaitLive();
    PlaywrightAssertions.assertThat(inbox.items()).hasCount(4);
    assertThat(inbox.titles()).containsExactly("Missed 3", "Missed 2", "Missed 1", "Before");
    PlaywrightAssertions.assertThat(inbox.badge()).hasText("3");
    PlaywrightAssertions.assertThat(inbox.item("Before")).hasClass("item");
    assertThat(inbox.log())
        .containsExactly(
            "2 notification_received Missed 1",
            "3 notification_received Missed 2",
            "4 notification_updated Before",
            "5 notification_received Missed 3");

    backend.sendInApp("olga", "After");
    PlaywrightAssertions.assertThat(inbox.items()).hasCount(5);
    assertThat(inbox.log()).hasSize(5).last().isEqualTo("6 notification_received After");
  }

  @Test
  void whatWasSentAcrossARestartOfHeraldArrivesOnceAndInOrder() {
    HeraldCalls backend = new HeraldCalls(server.api());
    String token = backend.tokenFor("rita");
    backend.sendInApp("rita", "Before");
    InboxPage inbox = InboxPage.open(browser.newPage(), pages.origin(), token).awaitLive();

    server.close();
    awaitCutOff(inbox);
    // Offline until the sends are done, so the page cannot reconnect in between and must resume.
    browser.setOffline(true);
    server = herald(port);
    backend = new HeraldCalls(server.api());
    for (int i = 1; i <= 3; i++) backend.sendInApp("rita", "During restart " + i);
    browser.setOffline(false);

    inbox.awaitLive();
    PlaywrightAssertions.assertThat(inbox.items()).hasCount(4);
    assertThat(inbox.titles())
        .containsExactly("During restart 3", "During restart 2", "During restart 1", "Before");
    assertThat(inbox.log())
        .containsExactly(
            "2 notification_received During restart 1",
            "3 notification_received During restart 2",
            "4 notification_received During restart 3");
    PlaywrightAssertions.assertThat(inbox.badge()).hasText("4");
  }

  private static void awaitCutOff(InboxPage inbox) {
    inbox
        .page()
        .waitForFunction("() => document.querySelector('herald-inbox').live.state !== 'live'");
  }

  private static void markRead(HeraldCalls backend, String subscriber, String title) {
    String id = null;
    for (var item : backend.inbox(subscriber)) {
      if (item.get("title").asString().equals(title)) id = item.get("id").asString();
    }
    var r = backend.api().post("/v1/inbox/" + id + "/read?subscriber_id=" + subscriber, Map.of());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }
}
