package dev.herald.web;

import io.javalin.json.JsonMapper;
import java.lang.reflect.Type;

/** Lets {@code ctx.json(...)} use Herald's one mapper. */
final class JacksonJsonMapper implements JsonMapper {
  @Override
  public String toJsonString(Object obj, Type type) {
    return Json.write(obj);
  }

  @Override
  public <T> T fromJsonString(String json, Type type) {
    return Json.MAPPER.readValue(json, Json.MAPPER.constructType(type));
  }
}
