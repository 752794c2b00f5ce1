package io.meridian.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.meridian.config.YamlNode.Entry;
import io.meridian.config.YamlNode.Kind;
import io.meridian.config.YamlNode.Mapping;
import io.meridian.config.YamlNode.Mark;
import io.meridian.config.YamlNode.Scalar;
import io.meridian.config.YamlNode.Sequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the first document of a YAML text into {@link YamlNode}s with Jackson's streaming parser,
 * keeping each node's line and column. Aliases are replaced by their anchored node, {@code <<}
 * merge keys are applied, and plain scalars are typed as Go's YAML library (YAML 1.1) types them.
 */
final class YamlTree {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern BOOL =
      Pattern.compile(
          "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  private static final Pattern INT =
      Pattern.compile("[-+]?(?:0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0b[01_]+|0[0-7_]+)");
  private static final Pattern FLOAT =
      Pattern.compile(
          "[-+]?(?:\\.[0-9]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
              + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");

  private static final Pattern IN_READER =
      Pattern.compile("in '[^']*', line (\\d+), column (\\d+):?");

  private final YAMLParser parser;
  private final List<String> lines;
  private final Map<String, YamlNode> anchors = new HashMap<>();

  private YamlTree(YAMLParser parser, String text) {
    this.parser = parser;
    this.lines = text.lines().toList();
  }

  /** A syntax error, at a 1-based line and column. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    SyntaxException(String message, Mark mark) {
      super(message);
      this.line = mark.line();
      this.column = mark.column();
    }

    Mark mark() {
      return new Mark(line, column);
    }
  }

  /**
   * Parses {@code text}; an empty document is an empty mapping at line 1.
   *
   * @throws SyntaxException when the text is not YAML
   */
  static YamlNode parse(String text) throws SyntaxException {
    try (YAMLParser p = FACTORY.createParser(text)) {
      YamlTree tree = new YamlTree(p, text);
      JsonToken t = p.nextToken();
      if (t == null) {
        return new Mapping(List.of(), new Mark(1, 1));
      }
      return tree.node(t);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new SyntaxException("yaml: " + e.getMessage(), new Mark(1, 1));
    }
  }

  /**
   * SnakeYAML's message without the quoted source lines, placed at the problem's mark (the last
   * {@code in 'reader', line L, column C} in the message), else at Jackson's location.
   */
  private static SyntaxException syntaxError(JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    Mark mark = l == null ? new Mark(1, 1) : new Mark(l.getLineNr(), l.getColumnNr());
    String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    List<String> lines = message.lines().toList();
    List<String> text = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      java.util.regex.Matcher m = IN_READER.matcher(line);
      if (m.matches()) {
        mark = new Mark(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        i++; // the quoted source line
        if (i + 1 < lines.size() && lines.get(i + 1).strip().equals("^")) {
          i++;
        }
      } else if (!line.isEmpty()) {
        text.add(line);
      }
    }
    return new SyntaxException("yaml: " + String.join(": ", text), mark);
  }

  private Mark mark() {
    JsonLocation l = parser.currentTokenLocation();
    return new Mark(l.getLineNr(), l.getColumnNr());
  }

  private YamlNode node(JsonToken t) throws IOException, SyntaxException {
    Mark mark = mark();
    if (parser.isCurrentAlias()) {
      String name = parser.getText();
      YamlNode target = anchors.get(name);
      if (target == null) {
        throw new SyntaxException("yaml: unknown anchor '" + name + "' referenced", mark);
      }
      return target;
    }
    String anchor = parser.getObjectId();
    YamlNode n =
        switch (t) {
          case START_OBJECT -> mapping(mark);
          case START_ARRAY -> sequence(mark);
          case VALUE_NULL -> new Scalar("", Kind.NULL, mark);
          default -> scalar(parser.getText(), mark);
        };
    if (anchor != null) {
      anchors.put(anchor, n);
    }
    return n;
  }

  private Scalar scalar(String text, Mark mark) {
    if (!isPlain(mark)) {
      return new Scalar(text, Kind.STRING, mark);
    }
    Kind kind;
    if (NULL.matcher(text).matches()) {
      kind = Kind.NULL;
    } else if (BOOL.matcher(text).matches()) {
      kind = Kind.BOOL;
    } else if (INT.matcher(text).matches()) {
      kind = Kind.INT;
    } else if (FLOAT.matcher(text).matches()) {
      kind = Kind.FLOAT;
    } else {
      kind = Kind.STRING;
    }
    return new Scalar(text, kind, mark);
  }

  /** Whether the scalar at {@code mark} is written plain: not quoted, not a block scalar. */
  private boolean isPlain(Mark mark) {
    if (mark.line() < 1 || mark.line() > lines.size()) {
      return true;
    }
    String line = lines.get(mark.line() - 1);
    int i;
    try {
      i = line.offsetByCodePoints(0, mark.column() - 1);
    } catch (IndexOutOfBoundsException e) {
      return true;
    }
    // Skip node properties: an anchor (&a) or a tag (!t) before the value.
    while (i < line.length() && (line.charAt(i) == '&' || line.charAt(i) == '!')) {
      while (i < line.length() && line.charAt(i) != ' ') {
        i++;
      }
      while (i < line.length() && line.charAt(i) == ' ') {
        i++;
      }
    }
    if (i >= line.length()) {
      return true; // an empty value
    }
    char c = line.charAt(i);
    return c != '"' && c != '\'' && c != '|' && c != '>';
  }

  private Sequence sequence(Mark mark) throws IOException, SyntaxException {
    List<YamlNode> items = new ArrayList<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      items.add(node(t));
    }
    return new Sequence(items, mark);
  }

  private Mapping mapping(Mark mark) throws IOException, SyntaxException {
    List<Entry> own = new ArrayList<>();
    List<Mapping> merged = new ArrayList<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
      if (t != JsonToken.FIELD_NAME) {
        throw new SyntaxException("yaml: unexpected " + t, mark());
      }
      String key = parser.currentName();
      Mark keyMark = mark();
      YamlNode value = node(parser.nextToken());
      if (key.equals("<<")) {
        merge(value, merged);
      } else {
        own.add(new Entry(key, keyMark, value));
      }
    }
    if (merged.isEmpty()) {
      return new Mapping(own, mark);
    }
    Set<String> seen = new HashSet<>();
    for (Entry e : own) {
      seen.add(e.key());
    }
    List<Entry> all = new ArrayList<>(own);
    for (Mapping m : merged) {
      for (Entry e : m.entries()) {
        if (seen.add(e.key())) {
          all.add(e);
        }
      }
    }
    return new Mapping(all, mark);
  }

  private static void merge(YamlNode value, List<Mapping> into) throws SyntaxException {
    switch (value) {
      case Mapping m -> into.add(m);
      case Sequence s -> {
        for (YamlNode n : s.items()) {
          if (!(n instanceof Mapping m)) {
            throw new SyntaxException("yaml: map merge requires map or sequence of maps", n.mark());
          }
          into.add(m);
        }
      }
      case Scalar s ->
          throw new SyntaxException(
              "yaml: map merge requires map or sequence of maps as the value", s.mark());
    }
  }
}
