package dev.herald.web;

import dev.herald.web.ApiException.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects every invalid field of a request, then answers them all at once. */
public final class Validation {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+|=\\-]{1,256}");
  public static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private final List<FieldError> errors = new ArrayList<>();

  public Validation check(boolean ok, String field, String message) {
    if (!ok) errors.add(new FieldError(field, message));
    return this;
  }

  public Validation id(String value, String field) {
    return check(
        value != null && ID.matcher(value).matches(),
        field,
        "must be 1-256 characters of letters, digits and . _ : @ + | = -");
  }

  public Validation maxLength(String value, int max, String field) {
    return check(
        value == null || value.length() <= max, field, "must be at most " + max + " characters");
  }

  public Validation add(List<FieldError> more) {
    errors.addAll(more);
    return this;
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  public void throwIfInvalid() {
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
  }
}
