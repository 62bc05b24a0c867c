package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.herald.testing.TestServer;
import dev.herald.web.Json;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code <herald-inbox>} in real Chromium on a page of another origin, importing the SDK from
 * Herald: live arrival, the same subscriber in two tabs, keyboard use, and click tracking.
 */
class InboxElementIT {
  static PageServer pages;
  static TestServer server;
  static HeraldCalls backend;
  static Chromium chromium;
  BrowserContext browser;

  @BeforeAll
  static void start() {
    pages = PageServer.start();
    server = TestServer.builder().env("HERALD_CORS_ORIGINS", pages.origin()).start();
    pages.html(InboxPage.PATH, InboxPage.html(server.baseUrl(), TestServer.PUBLISHABLE_KEY));
    pages.html("/orders/42", "<!doctype html><title>Order 42</title><p>Order 42</p>");
    backend = new HeraldCalls(server.api());
    chromium = Chromium.launch();
  }

  @AfterAll
  static void stop() {
    chromium.close();
    server.close();
    pages.close();
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
  void aNotificationSentThroughTheApiAppearsLiveAndTheBadgeCountsIt() {
    String token = backend.tokenFor("ann");
    backend.sendInApp("ann", "Welcome");
    InboxPage inbox = InboxPage.open(browser.newPage(), pages.origin(), token).awaitLive();
    PlaywrightAssertions.assertThat(inbox.badge()).hasText("1");
    PlaywrightAssertions.assertThat(inbox.items()).hasCount(1);

    backend.sendInApp("ann", "Order shipped");

    PlaywrightAssertions.assertThat(inbox.badge()).hasText("2");
    PlaywrightAssertions.assertThat(inbox.items()).hasCount(2);
    assertThat(inbox.titles()).containsExactly("Order shipped", "Welcome");
    assertThat(inbox.item("Order shipped").getAttribute("class")).contains("unread");
    assertThat(inbox.log())
        .singleElement()
        .asString()
        .endsWith("notification_received Order shipped");
    assertThat(inbox.bell().getAttribute("aria-label")).isEqualTo("Notifications, 2 unread");
    PlaywrightAssertions.assertThat(inbox.page().locator("herald-inbox [role=status]"))
        .hasText("2 unread notifications");
  }

  @Test
  void markingItReadInASecondTabUpdatesTheFirstTab() {
    String token = backend.tokenFor("bea");
    backend.sendInApp("bea", "Invoice ready");
    backend.sendInApp("bea", "Meeting moved");
    InboxPage first = InboxPage.open(browser.newPage(), pages.origin(), token).awaitLive();
    InboxPage second = InboxPage.open(browser.newPage(), pages.origin(), token).awaitLive();
    PlaywrightAssertions.assertThat(first.badge()).hasText("2");

    second.bell().click();
    second.item("Invoice ready").getByText("Mark read").click();

    PlaywrightAssertions.assertThat(first.badge()).hasText("1");
    PlaywrightAssertions.assertThat(first.item("Invoice ready")).not().hasClass("item unread");
    PlaywrightAssertions.assertThat(first.item("Invoice ready").locator("[data-action=toggle]"))
        .hasText("Mark unread");
    PlaywrightAssertions.assertThat(first.item("Meeting moved")).hasClass("item unread");
    PlaywrightAssertions.assertThat(second.badge()).hasText("1");
    assertThat(first.log())
        .singleElement()
        .asString()
        .endsWith("notification_updated Invoice ready");

    second.item("Meeting moved").getByText("Archive").click();

    PlaywrightAssertions.assertThat(first.items()).hasCount(1);
    PlaywrightAssertions.assertThat(first.badge()).isHidden();
  }

  @Test
  void theKeyboardOpensNavigatesAndClosesThePanel() {
    String token = backend.tokenFor("cal");
    for (String title : new String[] {"First", "Second", "Third"}) backend.sendInApp("cal", title);
    InboxPage inbox = InboxPage.open(browser.newPage(), pages.origin(), token);
    PlaywrightAssertions.assertThat(inbox.items()).hasCount(3);
    Page page = inbox.page();
    assertThat(inbox.bell().getAttribute("aria-controls")).isEqualTo("panel");
    inbox.assertClosed();

    page.keyboard().press("Tab");
    assertThat(inbox.focused()).containsEntry("cls", "bell");
    page.keyboard().press("Enter");

    PlaywrightAssertions.assertThat(inbox.panel()).isVisible();
    assertThat(inbox.bell().getAttribute("aria-expanded")).isEqualTo("true");
    assertThat(inbox.focused()).containsEntry("tag", "LI").containsEntry("title", "Third");
    page.keyboard().press("ArrowDown");
    assertThat(inbox.focused()).containsEntry("title", "Second");
    assertThat(
            page.evaluate(
                "() => getComputedStyle(document.querySelector('herald-inbox')"
                    + ".shadowRoot.activeElement).outlineStyle"))
        .isNotEqualTo("none");
    page.keyboard().press("ArrowDown");
    page.keyboard().press("ArrowDown");
    assertThat(inbox.focused()).containsEntry("title", "First");
    page.keyboard().press("Home");
    assertThat(inbox.focused()).containsEntry("title", "Third");
    page.keyboard().press("End");
    page.keyboard().press("ArrowUp");
    assertThat(inbox.focused()).containsEntry("title", "Second");

    page.keyboard().press("Escape");
    inbox.assertClosed();
    assertThat(inbox.focused()).containsEntry("cls", "bell");

    page.keyboard().press("Space");
    PlaywrightAssertions.assertThat(inbox.panel()).isVisible();
    page.keyboard().press("Escape");
    inbox.assertClosed();
    assertThat(inbox.focused()).containsEntry("cls", "bell");
  }

  @Test
  void clickingAnItemWithAUrlOpensItAndReportsTheClick() {
    String token = backend.tokenFor("dan");
    String url = pages.origin() + "/orders/42";
    String id = backend.sendInApp("dan", "Order 42 shipped", Map.of("url", url));
    InboxPage inbox = InboxPage.open(browser.newPage(), pages.origin(), token);
    inbox.bell().click();
    Page page = inbox.page();

    Page[] opened = new Page[1];
    Request report =
        page.waitForRequest(
            r -> r.url().endsWith("/v1/events") && r.method().equals("POST"),
            () ->
                opened[0] =
                    page.waitForPopup(
                        () -> inbox.item("Order 42 shipped").locator(".title").click()));

    assertThat(Json.tree(report.postData()).get("type").asString()).isEqualTo("clicked");
    assertThat(Json.tree(report.postData()).get("notification_id").asString()).isEqualTo(id);
    assertThat(report.response().status()).isEqualTo(202);
    opened[0].waitForLoadState();
    assertThat(opened[0].url()).isEqualTo(url);
    PlaywrightAssertions.assertThat(inbox.badge()).isHidden();
    page.waitForFunction("() => window.heraldLog.length === 1");
    assertThat(inbox.log().getFirst()).endsWith("notification_updated Order 42 shipped");
  }

  @Test
  void aRefusedTokenIsRenewedThroughGetToken() {
    String token = backend.tokenFor("eve");
    backend.sendInApp("eve", "Renewed");
    String tampered = token.substring(0, token.length() - 4) + "AAAA";
    InboxPage inbox =
        InboxPage.openAt(
                browser.newPage(),
                pages.origin() + InboxPage.PATH + "#token=" + tampered + "&renew=" + token)
            .awaitLive();

    PlaywrightAssertions.assertThat(inbox.items()).hasCount(1);
    assertThat((Integer) inbox.page().evaluate("() => window.heraldRenewals")).isPositive();
    backend.sendInApp("eve", "After renewal");
    PlaywrightAssertions.assertThat(inbox.badge()).hasText("2");
  }

  @Test
  void whereWebSocketIsRefusedTheInboxGoesLiveOverServerSentEvents() {
    // As behind a proxy that refuses upgrades: every WebSocket fails before it opens.
    browser.addInitScript(
        "window.WebSocket = class { constructor() { setTimeout(() => this.onclose?.({ code: 1006 }), 10); }"
            + " close() {} };");
    String token = backend.tokenFor("sam");
    backend.sendInApp("sam", "Listed first");
    InboxPage inbox = InboxPage.open(browser.newPage(), pages.origin(), token).awaitLive();
    assertThat(inbox.page().evaluate("() => document.querySelector('herald-inbox').live.transport"))
        .isEqualTo("sse");

    backend.sendInApp("sam", "Pushed live");
    PlaywrightAssertions.assertThat(inbox.badge()).hasText("2");
    inbox.bell().click();
    inbox.item("Listed first").getByText("Mark read").click();

    PlaywrightAssertions.assertThat(inbox.badge()).hasText("1");
    assertThat(inbox.log())
        .hasSize(2)
        .last()
        .asString()
        .endsWith("notification_updated Listed first");
  }
}
