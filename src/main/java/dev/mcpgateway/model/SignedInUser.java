package dev.mcpgateway.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who signed in at the built-in authorization server, as its tokens name them: the subject (the
 * upstream IdP's {@code sub}, or a local user's name), e-mail and groups (what access policies read).
 */
public record SignedInUser(String subject, String email, List<String> groups) {
  public SignedInUser {
    if (subject == null || subject.isBlank()) throw new IllegalArgumentException("a signed-in user needs a subject");
    groups = List.copyOf(groups);
  }

  public JsonObject toJson() {
    return new JsonObject().put("sub", subject).put("email", email).put("groups", new JsonArray(groups));
  }

  public static SignedInUser fromJson(JsonObject json) {
    return new SignedInUser(json.getString("sub"), json.getString("email"), SignInClient.strings(json.getJsonArray("groups")));
  }

  @Override
  public String toString() {
    // the e-mail is personal data: logs name the user by subject only
    return "SignedInUser[" + subject + "]";
  }
}
