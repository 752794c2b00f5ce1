package io.meridian.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.meridian.config.YamlNode.Mapping;
import io.meridian.config.YamlNode.Scalar;
import io.meridian.config.YamlNode.Sequence;
import io.meridian.model.Labels;
import io.meridian.model.NameValidation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the target group files of {@code file_sd_configs} as Prometheus's file discovery does: a
 * list of {@code {targets: [...], labels: {...}}}, a {@code .json} file by Go's JSON rules (unknown
 * fields ignored, field names matched in any case), a {@code .yml} or {@code .yaml} file as strict
 * YAML (unknown fields are errors). File discovery and {@code check config} both read through here,
 * so they accept the same files.
 */
public final class TargetGroupFiles {
  private static final Set<String> GROUP = Set.of("targets", "labels");
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private TargetGroupFiles() {}

  /**
   * The files a {@code file_sd_configs} path or glob matches now, sorted; none when nothing matches
   * or the pattern is bad (the config's checks reject bad patterns before).
   */
  public static List<Path> matching(String pattern) {
    try {
      return ConfigChecks.glob(pattern, pattern, "");
    } catch (ConfigException e) {
      return List.of();
    }
  }

  /**
   * Reads the groups of {@code file}, each as a {@link StaticConfig}.
   *
   * @throws IOException when the file cannot be read
   * @throws ConfigException when it does not hold target groups, placed at the problem
   */
  public static List<StaticConfig> read(Path file) throws IOException, ConfigException {
    return parse(file.toString(), Files.readString(file));
  }

  /** Reads {@code text}, the content of the file {@code name}, whose extension says its format. */
  public static List<StaticConfig> parse(String name, String text) throws ConfigException {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".json")) {
      return json(name, text);
    }
    if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
      return yaml(name, text);
    }
    throw new ConfigException(name, 0, 0, "", "unsupported file extension (.json, .yml, .yaml)");
  }

  private static List<StaticConfig> yaml(String name, String text) throws ConfigException {
    Source src = new Source(name, Path.of(""), Map.of());
    YamlNode root;
    try {
      root = YamlTree.parse(text);
    } catch (YamlTree.SyntaxException e) {
      throw src.error(e.mark(), "", e.getMessage());
    }
    if ((root instanceof Scalar s && s.isNull())
        || (root instanceof Mapping m && m.entries().isEmpty())) {
      return List.of();
    }
    if (!(root instanceof Sequence seq)) {
      throw src.error(root.mark(), "", Section.cannotUnmarshal(root, "[]*targetgroup.Group"));
    }
    List<StaticConfig> out = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      YamlNode item = seq.items().get(i);
      String path = "[" + i + "]";
      if (item instanceof Scalar s && s.isNull()) {
        throw src.error(item.mark(), path, "nil target group item found");
      }
      Section g = Section.of(src, item, path, "targetgroup.Group", GROUP);
      out.add(new StaticConfig(g.strings("targets"), ScrapeConfigs.labels(g, "labels")));
    }
    return out;
  }

  private static List<StaticConfig> json(String name, String text) throws ConfigException {
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new ConfigException(name, 0, 0, "", "unexpected end of JSON input");
      }
      List<StaticConfig> out = new ArrayList<>();
      if (t == JsonToken.START_ARRAY) {
        for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          out.add(jsonGroup(name, p, "[" + out.size() + "]"));
        }
      } else if (t != JsonToken.VALUE_NULL) {
        throw error(name, p, "", cannotUnmarshal(t, "[]*targetgroup.Group"));
      }
      if (p.nextToken() != null) {
        throw error(name, p, "", "invalid character after top-level value");
      }
      return out;
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      throw new ConfigException(
          name,
          l == null ? 0 : l.getLineNr(),
          l == null ? 0 : l.getColumnNr(),
          "",
          e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(name, 0, 0, "", String.valueOf(e.getMessage()));
    }
  }

  /** One group, the parser on its first token. */
  private static StaticConfig jsonGroup(String name, JsonParser p, String path)
      throws IOException, ConfigException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      throw error(name, p, path, "nil target group item found");
    }
    if (t != JsonToken.START_OBJECT) {
      throw error(name, p, path, cannotUnmarshal(t, "targetgroup.Group"));
    }
    List<String> targets = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String field = p.currentName().toLowerCase(Locale.ROOT);
      t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "targets" -> {
          String at = path + ".targets";
          if (t != JsonToken.START_ARRAY) {
            throw error(name, p, at, cannotUnmarshal(t, "[]string"));
          }
          for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            targets.add(jsonString(name, p, at));
          }
        }
        case "labels" -> {
          String at = path + ".labels";
          if (t != JsonToken.START_OBJECT) {
            throw error(name, p, at, cannotUnmarshal(t, "model.LabelSet"));
          }
          for (t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String label = p.currentName();
            if (!NameValidation.isLegacyLabelName(label)) {
              throw error(name, p, at, "\"" + label + "\" is not a valid label name");
            }
            p.nextToken();
            labels.put(label, jsonString(name, p, at));
          }
        }
        default -> p.skipChildren();
      }
    }
    return new StaticConfig(targets, Labels.of(labels));
  }

  private static String jsonString(String name, JsonParser p, String path)
      throws IOException, ConfigException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    if (t != JsonToken.VALUE_STRING) {
      throw error(name, p, path, cannotUnmarshal(t, "string"));
    }
    return p.getText();
  }

  private static String cannotUnmarshal(JsonToken t, String into) {
    String what =
        switch (t) {
          case START_ARRAY -> "array";
          case START_OBJECT -> "object";
          case VALUE_STRING -> "string";
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
          case VALUE_TRUE, VALUE_FALSE -> "bool";
          default -> "value";
        };
    return "json: cannot unmarshal " + what + " into Go value of type " + into;
  }

  private static ConfigException error(String name, JsonParser p, String path, String detail) {
    JsonLocation l = p.currentTokenLocation();
    return new ConfigException(name, l.getLineNr(), l.getColumnNr(), path, detail);
  }
}
