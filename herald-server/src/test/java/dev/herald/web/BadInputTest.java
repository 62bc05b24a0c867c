package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Whatever a client sends, Herald answers a 4xx problem+json with a catalogue code, never a 5xx:
 * one row per malformed request across the routes.
 */
class BadInputTest {
  static final String JSON = "application/json";
  static TestServer server;

  enum As {
    SECRET,
    PUBLISHABLE,
    ADMIN,
    NONE,
    UNKNOWN_KEY
  }

  record Case(
      As as,
      String method,
      String path,
      String contentType,
      String body,
      int status,
      String field) {}

  @BeforeAll
  static void start() {
    server = TestServer.start();
    server.api().put("/v1/subscribers/known", java.util.Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * One request per row: name | credentials | method and path | content type ("json", "none" or a
   * media type) | body ("-" for none; ' stands for ") | expected status | field named in {@code
   * errors} ("-" for none).
   */
  static final String TABLE =
      """
      unknown field: app                  | ADMIN       | POST /v1/apps                        | json | {'name':'x1','colour':'red'}                              | 400 | colour
      unknown field: key                  | SECRET      | POST /v1/keys                        | json | {'kind':'secret','scope':'all'}                            | 400 | scope
      unknown field: subscriber           | SECRET      | PUT /v1/subscribers/u1               | json | {'e_mail':'a@b.co'}                                        | 400 | e_mail
      unknown field: token                | SECRET      | POST /v1/subscribers/known/token     | json | {'ttl':60}                                                 | 400 | ttl
      unknown field: topic                | SECRET      | PUT /v1/topics/t/subscribers         | json | {'subscribers':['a'],'x':1}                                | 400 | x
      unknown field: device               | SECRET      | POST /v1/devices                     | json | {'token':'ExponentPushToken[abcdefgh]','os':'ios'}         | 400 | os
      unknown field: device keys          | SECRET      | POST /v1/devices                     | json | {'subscription':{'endpoint':'https://p.example','keys':{'p256dh':'x','auth':'y','extra':1}}} | 400 | subscription.keys.extra
      unknown field: notification         | SECRET      | POST /v1/notifications               | json | {'to':{'subscribers':['known']},'titel':'typo'}            | 400 | titel
      unknown field: notification to      | SECRET      | POST /v1/notifications               | json | {'to':{'users':['known']},'title':'t'}                     | 400 | to.users
      malformed JSON: cut short           | SECRET      | PUT /v1/subscribers/u1               | json | {'email':                                                  | 400 | body
      malformed JSON: bare words          | SECRET      | POST /v1/notifications               | json | {to: subscribers}                                          | 400 | body
      malformed JSON: trailing data       | SECRET      | POST /v1/devices                     | json | {'token':'ExponentPushToken[abcdefgh]'} {}                 | 400 | body
      malformed JSON: duplicate key       | SECRET      | PUT /v1/subscribers/u1               | json | {'email':'a@b.co','email':'c@d.co'}                        | 400 | body
      string for number: token ttl        | SECRET      | POST /v1/subscribers/known/token     | json | {'ttl_seconds':'soon'}                                     | 400 | ttl_seconds
      string for number: notification ttl | SECRET      | POST /v1/notifications               | json | {'to':{'subscribers':['known']},'title':'t','ttl_seconds':'a day'} | 400 | ttl_seconds
      object for array: topic members     | SECRET      | PUT /v1/topics/t/subscribers         | json | {'subscribers':{'a':1}}                                    | 400 | subscribers
      object for array: audience          | SECRET      | POST /v1/notifications               | json | {'to':{'subscribers':{'id':'known'}},'title':'t'}          | 400 | to.subscribers
      string for array: channels          | SECRET      | POST /v1/notifications               | json | {'to':{'subscribers':['known']},'channels':'in_app','title':'t'} | 400 | channels
      array for object: attributes        | SECRET      | PUT /v1/subscribers/u1               | json | {'attributes':[1,2]}                                       | 400 | attributes
      string for object: device info      | SECRET      | POST /v1/devices                     | json | {'token':'ExponentPushToken[abcdefgh]','device_info':'x'}  | 400 | device_info
      string for boolean: dry run         | SECRET      | POST /v1/notifications               | json | {'to':{'subscribers':['known']},'title':'t','dry_run':'maybe'} | 400 | dry_run
      array for body: subscriber          | SECRET      | PUT /v1/subscribers/u1               | json | []                                                         | 400 | body
      string for body: notification       | SECRET      | POST /v1/notifications               | json | 'hello'                                                    | 400 | body
      number for body: app                | ADMIN       | POST /v1/apps                        | json | 42                                                         | 400 | body
      null body: app                      | ADMIN       | POST /v1/apps                        | json | null                                                       | 400 | body
      null body: key                      | SECRET      | POST /v1/keys                        | json | null                                                       | 400 | body
      null body: subscriber               | SECRET      | PUT /v1/subscribers/u1               | json | null                                                       | 400 | body
      null body: token                    | SECRET      | POST /v1/subscribers/known/token     | json | null                                                       | 400 | body
      null body: topic join               | SECRET      | PUT /v1/topics/t/subscribers         | json | null                                                       | 400 | body
      null body: topic leave              | SECRET      | DELETE /v1/topics/t/subscribers      | json | null                                                       | 400 | body
      null body: device                   | SECRET      | POST /v1/devices                     | json | null                                                       | 400 | body
      null body: notification             | SECRET      | POST /v1/notifications               | json | null                                                       | 400 | body
      empty body: subscriber              | SECRET      | PUT /v1/subscribers/u1               | json | -                                                          | 400 | body
      empty body: notification            | SECRET      | POST /v1/notifications               | json | -                                                          | 400 | body
      null element: topic members         | SECRET      | PUT /v1/topics/t/subscribers         | json | {'subscribers':[null]}                                     | 400 | -
      null element: audience              | SECRET      | POST /v1/notifications               | json | {'to':{'subscribers':[null]},'title':'t'}                  | 400 | -
      null element: channels              | SECRET      | POST /v1/notifications               | json | {'to':{'subscribers':['known']},'channels':[null],'title':'t'} | 400 | -
      null element: raw tokens            | SECRET      | POST /v1/notifications               | json | {'to':{'tokens':[null]},'title':'t'}                       | 400 | -
      null audience                       | SECRET      | POST /v1/notifications               | json | {'to':null,'title':'t'}                                    | 400 | -
      text/plain: subscriber              | SECRET      | PUT /v1/subscribers/u1               | text/plain | {}                                                   | 415 | -
      form: notification                  | SECRET      | POST /v1/notifications               | application/x-www-form-urlencoded | title=hi                      | 415 | -
      xml: device                         | SECRET      | POST /v1/devices                     | application/xml | <device/>                                       | 415 | -
      no content type: app                | ADMIN       | POST /v1/apps                        | none | {'name':'x2'}                                              | 415 | -
      unknown route                       | SECRET      | GET /v1/nothing-here                 | none | -                                                          | 404 | -
      unknown route, no credentials       | NONE        | GET /v2/subscribers                  | none | -                                                          | 404 | -
      unknown top-level path              | NONE        | GET /favicon.ico                     | none | -                                                          | 404 | -
      wrong method: subscriber            | SECRET      | PATCH /v1/subscribers/u1             | json | {}                                                         | 404 | -
      wrong method: notifications         | SECRET      | DELETE /v1/notifications             | none | -                                                          | 404 | -
      wrong method: health                | NONE        | POST /health                         | json | {}                                                         | 404 | -
      no credentials: subscribers         | NONE        | GET /v1/subscribers                  | none | -                                                          | 401 | -
      no credentials: send                | NONE        | POST /v1/notifications               | json | {}                                                         | 401 | -
      no credentials: apps                | NONE        | GET /v1/apps                         | none | -                                                          | 401 | -
      no credentials: inbox               | NONE        | GET /v1/inbox                        | none | -                                                          | 401 | -
      no credentials: device              | NONE        | POST /v1/devices                     | json | {}                                                         | 401 | -
      no credentials: stats               | NONE        | GET /v1/stats                        | none | -                                                          | 401 | -
      unknown key: subscribers            | UNKNOWN_KEY | GET /v1/subscribers                  | none | -                                                          | 401 | -
      unknown key: send                   | UNKNOWN_KEY | POST /v1/notifications               | json | {}                                                         | 401 | -
      publishable key: subscribers        | PUBLISHABLE | GET /v1/subscribers                  | none | -                                                          | 403 | -
      publishable key: send               | PUBLISHABLE | POST /v1/notifications               | json | {'title':'t'}                                              | 403 | -
      publishable key: keys               | PUBLISHABLE | POST /v1/keys                        | json | {'kind':'secret'}                                          | 403 | -
      publishable key: topic              | PUBLISHABLE | PUT /v1/topics/t/subscribers         | json | {'subscribers':['a']}                                      | 403 | -
      publishable key: stats              | PUBLISHABLE | GET /v1/stats                        | none | -                                                          | 403 | -
      publishable key: dead letters       | PUBLISHABLE | GET /v1/dead-letters                 | none | -                                                          | 403 | -
      publishable key: inbox              | PUBLISHABLE | GET /v1/inbox?subscriber_id=known    | none | -                                                          | 403 | -
      publishable key: token              | PUBLISHABLE | POST /v1/subscribers/known/token     | json | {}                                                         | 403 | -
      secret key: apps                    | SECRET      | GET /v1/apps                         | none | -                                                          | 403 | -
      admin key: devices                  | ADMIN       | POST /v1/devices                     | json | {'token':'ExponentPushToken[abcdefgh]'}                    | 403 | -
      secret key, no subscriber: inbox    | SECRET      | GET /v1/inbox                        | none | -                                                          | 400 | subscriber_id
      limit zero                          | SECRET      | GET /v1/subscribers?limit=0          | none | -                                                          | 400 | limit
      limit too large                     | SECRET      | GET /v1/subscribers?limit=501        | none | -                                                          | 400 | limit
      limit not a number                  | SECRET      | GET /v1/notifications?limit=ten      | none | -                                                          | 400 | limit
      limit negative                      | ADMIN       | GET /v1/apps?limit=-1                | none | -                                                          | 400 | limit
      limit overflow                      | SECRET      | GET /v1/keys?limit=99999999999999999999 | none | -                                                       | 400 | limit
      cursor not base64                   | SECRET      | GET /v1/subscribers?cursor=!!!       | none | -                                                          | 400 | cursor
      cursor not ours                     | SECRET      | GET /v1/notifications?cursor=Zm9vYmFy | none | -                                                         | 400 | cursor
      cursor on devices                   | SECRET      | GET /v1/subscribers/known/devices?cursor=%25%25 | none | -                                              | 400 | cursor
      cursor on topic                     | SECRET      | GET /v1/topics/t/subscribers?cursor=@@@ | none | -                                                       | 400 | cursor
      cursor on inbox                     | SECRET      | GET /v1/inbox?subscriber_id=known&cursor=xyz | none | -                                                  | 400 | cursor
      cursor on dead letters              | SECRET      | GET /v1/dead-letters?cursor=abc      | none | -                                                          | 400 | cursor
      unknown status filter               | SECRET      | GET /v1/notifications?status=done    | none | -                                                          | 400 | status
      unknown inbox filter                | SECRET      | GET /v1/inbox?subscriber_id=known&status=new | none | -                                                  | 400 | status
      bad subscriber id in path           | SECRET      | GET /v1/subscribers/a%20b            | none | -                                                          | 400 | id
      unknown notification                | SECRET      | GET /v1/notifications/nope           | none | -                                                          | 404 | -
      unknown notification cancel         | SECRET      | POST /v1/notifications/nope/cancel   | none | -                                                          | 404 | -
      unknown dead letter retry           | SECRET      | POST /v1/dead-letters/nope/retry     | none | -                                                          | 404 | -
      """;

  static Stream<Arguments> cases() {
    return TABLE
        .lines()
        .filter(line -> !line.isBlank())
        .map(
            line -> {
              String[] col =
                  Arrays.stream(line.split("\\|")).map(String::trim).toArray(String[]::new);
              String[] request = col[2].split(" ", 2);
              String contentType =
                  switch (col[3]) {
                    case "json" -> JSON;
                    case "none" -> null;
                    default -> col[3];
                  };
              String body = col[4].equals("-") ? null : col[4].replace('\'', '"');
              Case c =
                  new Case(
                      As.valueOf(col[1]),
                      request[0],
                      request[1],
                      contentType,
                      body,
                      Integer.parseInt(col[5]),
                      col[6].equals("-") ? null : col[6]);
              return Arguments.of(Named.of(col[0], c));
            });
  }

  @Test
  void bodyThatIsNotUtf8IsRefused() {
    byte[] body = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};

    var r = server.api().send("PUT", "/v1/subscribers/u1", body, JSON);

    assertThat(r.status()).isEqualTo(400);
    assertProblem(r);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAProblemNeverAServerError(Case c) {
    ApiClient client =
        switch (c.as()) {
          case SECRET -> server.api();
          case PUBLISHABLE -> server.anonymous().withKey(TestServer.PUBLISHABLE_KEY);
          case ADMIN -> server.admin();
          case NONE -> server.anonymous();
          case UNKNOWN_KEY -> server.anonymous().withKey("sk_" + "0".repeat(43));
        };

    var r = client.send(c.method(), c.path(), c.body(), c.contentType());

    assertThat(r.status()).as(r.toString()).isEqualTo(c.status());
    assertProblem(r);
    if (c.status() == 401) assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
    if (c.field() != null) {
      List<String> fields = new ArrayList<>();
      r.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
      assertThat(fields).as(r.toString()).contains(c.field());
    }
  }

  /** The RFC 9457 shape with a code from the one catalogue that matches the HTTP status. */
  static void assertProblem(ApiClient.Response r) {
    assertThat(r.status()).as(r.toString()).isBetween(400, 499);
    assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
    JsonNode p = r.json();
    for (String member : List.of("type", "title", "status", "code", "detail")) {
      assertThat(p.has(member)).as("%s in %s", member, r).isTrue();
    }
    assertThat(p.get("status").asInt()).isEqualTo(r.status());
    ErrorCode code =
        Arrays.stream(ErrorCode.values())
            .filter(e -> e.code().equals(p.get("code").asString()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("code not in the catalogue: " + r));
    assertThat(code.status()).as(r.toString()).isEqualTo(r.status());
    assertThat(p.get("title").asString()).isEqualTo(code.title());
    assertThat(p.get("detail").asString()).isNotBlank();
    if (p.has("errors")) {
      assertThat(p.get("errors").isArray()).isTrue();
      p.get("errors")
          .forEach(
              e -> {
                assertThat(e.get("field").asString()).isNotBlank();
                assertThat(e.get("message").asString()).isNotBlank();
              });
    }
  }
}
