package dev.herald.web;

import dev.herald.web.ApiException.FieldError;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper: snake_case, strict (unknown fields, duplicate keys, trailing data and nulls
 * for primitives are errors), and a translation of every parse failure into a 400 that names the
 * field.
 */
public final class Json {
  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private Json() {}

  public static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  public static JsonNode tree(String json) {
    return MAPPER.readTree(json);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(String json) {
    return json == null ? Map.of() : MAPPER.readValue(json, Map.class);
  }

  /** Parses a request body, answering 400 with the offending field for anything malformed. */
  public static <T> T parse(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw ApiException.invalid("body", "a JSON object is required");
    }
    if (hasNulEscape(body)) {
      // PostgreSQL text and JSONB cannot hold U+0000: refuse it on every database alike.
      throw ApiException.invalid("body", "text may not contain the NUL character (\\u0000)");
    }
    T value;
    try {
      value = MAPPER.readValue(body, type);
    } catch (JacksonException e) {
      throw translate(e);
    }
    // The JSON literal null parses to no object at all.
    if (value == null) throw ApiException.invalid("body", "a JSON object is required");
    return value;
  }

  /** Whether the JSON text escapes U+0000: a backslash-u-0000 whose backslash is not escaped. */
  static boolean hasNulEscape(byte[] json) {
    for (int i = 0; i + 5 < json.length; i++) {
      if (json[i] == '\\'
          && json[i + 1] == 'u'
          && json[i + 2] == '0'
          && json[i + 3] == '0'
          && json[i + 4] == '0'
          && json[i + 5] == '0') {
        int backslashes = 0;
        for (int j = i; j >= 0 && json[j] == '\\'; j--) backslashes++;
        if (backslashes % 2 == 1) return true;
      }
    }
    return false;
  }

  public static <T> T convert(Object value, Type type) {
    return MAPPER.convertValue(value, MAPPER.constructType(type));
  }

  static ApiException translate(JacksonException e) {
    String field = path(e);
    if (e instanceof UnrecognizedPropertyException u) {
      String name = field.isEmpty() ? u.getPropertyName() : field;
      return ApiException.invalid(name, "unknown field");
    }
    if (e instanceof ValueInstantiationException v && v.getCause() instanceof ApiException api) {
      return prefixed(api, field);
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return ApiException.invalid(field.isEmpty() ? "body" : field, v.getCause().getMessage());
    }
    if (e instanceof InvalidNullException) {
      return ApiException.invalid(field, "must not be null");
    }
    if (e instanceof InvalidFormatException f) {
      return ApiException.invalid(field, "must be " + describe(f.getTargetType()));
    }
    if (e instanceof MismatchedInputException m) {
      return ApiException.invalid(
          field.isEmpty() ? "body" : field, "must be " + describe(m.getTargetType()));
    }
    if (e instanceof StreamReadException s) {
      String where =
          s.getLocation() == null
              ? ""
              : " at line "
                  + s.getLocation().getLineNr()
                  + ", column "
                  + s.getLocation().getColumnNr();
      return ApiException.invalid("body", "malformed JSON" + where + ": " + s.getOriginalMessage());
    }
    return ApiException.invalid(field.isEmpty() ? "body" : field, e.getOriginalMessage());
  }

  private static ApiException prefixed(ApiException api, String field) {
    if (field.isEmpty()) return api;
    List<FieldError> errors = new ArrayList<>();
    for (FieldError fe : api.errors()) {
      errors.add(new FieldError(field + "." + fe.field(), fe.message()));
    }
    return errors.isEmpty() ? api : ApiException.invalid(errors);
  }

  private static String path(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!sb.isEmpty()) sb.append('.');
        sb.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String describe(Class<?> type) {
    if (type == null) return "a valid value";
    if (type == String.class) return "a string";
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class)
      return "an integer";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (type == Double.class || type == double.class) return "a number";
    if (List.class.isAssignableFrom(type) || type.isArray()) return "an array";
    if (Map.class.isAssignableFrom(type) || type.isRecord()) return "an object";
    if (type.isEnum())
      return "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase();
    return "a valid " + type.getSimpleName();
  }
}
