package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.inbox.InboxEvents;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Property: after any sequence of sends and state changes, the unread count (from /count, from the
 * change's answer and from its event) equals the unread items the list shows, and the total equals
 * the items that are not archived.
 */
class UnreadCountPropertyTest {
  static final List<String> ACTIONS =
      List.of("read", "unread", "archive", "unarchive", "delete", "read-all", "send", "send");
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void unreadCountsAlwaysEqualWhatTheListShows(long seed) {
    Random random = new Random(seed);
    String sub = "prop-" + seed;
    api.put("/v1/subscribers/" + sub, Map.of());
    List<String> steps = new ArrayList<>();
    long lastSeq = 0;
    for (int step = 0; step < 40; step++) {
      String action = ACTIONS.get(random.nextInt(ACTIONS.size()));
      List<String> ids = ids(sub, "all");
      ApiClient.Response r;
      if (action.equals("send") || ids.isEmpty()) {
        action = "send";
        r =
            api.post(
                "/v1/notifications",
                Map.of(
                    "to",
                    Map.of("subscribers", List.of(sub)),
                    "channels",
                    List.of("in_app"),
                    "title",
                    "s" + step));
        assertThat(r.status()).isEqualTo(202);
      } else if (action.equals("read-all")) {
        r = api.post("/v1/inbox/read-all?subscriber_id=" + sub, null);
      } else {
        String id = ids.get(random.nextInt(ids.size()));
        r =
            action.equals("delete")
                ? api.delete("/v1/inbox/" + id + "?subscriber_id=" + sub)
                : api.post("/v1/inbox/" + id + "/" + action + "?subscriber_id=" + sub, null);
      }
      steps.add(action);
      String trail = "after " + steps;
      long unreadListed = ids(sub, "unread").size();
      long notArchived = ids(sub, "all").size() - ids(sub, "archived").size();
      JsonNode count = api.get("/v1/inbox/count?subscriber_id=" + sub).json();
      assertThat(count.get("unread").asLong()).as(trail).isEqualTo(unreadListed);
      assertThat(count.get("total").asLong()).as(trail).isEqualTo(notArchived);
      if (!action.equals("send")) {
        assertThat(r.status()).as(trail).isEqualTo(200);
        assertThat(r.json().get("unread").asLong()).as(trail).isEqualTo(unreadListed);
      }
      // The last stored event carries the same count, whatever recorded it.
      Map<String, Object> last = lastEvent(sub);
      if (last != null) {
        assertThat(((Number) last.get("unread")).longValue())
            .as(trail + " event")
            .isEqualTo(unreadListed);
        long seq = ((Number) last.get("seq")).longValue();
        assertThat(seq).as(trail + " seq").isGreaterThanOrEqualTo(lastSeq);
        lastSeq = seq;
      }
    }
  }

  static List<String> ids(String sub, String status) {
    List<String> out = new ArrayList<>();
    api.get("/v1/inbox?limit=500&status=" + status + "&subscriber_id=" + sub)
        .json()
        .get("data")
        .forEach(i -> out.add(i.get("id").asString()));
    return out;
  }

  /** The newest stored event: what a client replaying from just before it receives. */
  static Map<String, Object> lastEvent(String sub) {
    InboxEvents events = new InboxEvents(server.herald().database());
    String app =
        server
            .herald()
            .database()
            .read(
                h ->
                    h.createQuery("SELECT id FROM apps WHERE name = 'default'")
                        .mapTo(String.class)
                        .one());
    long latest = events.latest(app, sub);
    if (latest == 0) return null;
    return events.after(app, sub, latest - 1, latest, 1).getFirst().view();
  }
}
