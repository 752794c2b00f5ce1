package io.meridian.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import java.util.Set;

/**
 * A configuration file's text as {@code /api/v1/status/config} shows it: the YAML as the user wrote
 * it, with every secret (the fields Prometheus types as {@code Secret}) replaced by {@code
 * <secret>}, as Prometheus's page hides them. Comments do not survive the round trip.
 */
public final class RedactedYaml {
  private static final Set<String> SECRET_FIELDS =
      Set.of(
          "password",
          "credentials",
          "bearer_token",
          "client_secret",
          "secret_key",
          "key",
          "api_key",
          "auth_token",
          "access_key_secret");

  private static final String SECRET = "<secret>";

  private static final YAMLMapper MAPPER =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private RedactedYaml() {}

  /**
   * The redacted text; a file that does not parse as YAML (it was refused at load, so this does not
   * happen for a loaded config) gives "".
   */
  public static String of(String text) {
    try {
      JsonNode root = MAPPER.readTree(text);
      if (root == null || root.isMissingNode()) {
        return "";
      }
      redact(root);
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      return "";
    }
  }

  private static void redact(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        if (SECRET_FIELDS.contains(e.getKey()) && e.getValue().isValueNode()) {
          e.setValue(TextNode.valueOf(SECRET));
        } else {
          redact(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (JsonNode child : arr) {
        redact(child);
      }
    }
  }
}
