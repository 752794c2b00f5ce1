package io.meridian.config;

import java.util.List;

/**
 * A YAML node with the place it was written, as {@link YamlTree} reads it: the tree Jackson's
 * streaming parser gives, with anchors and aliases resolved and plain scalars typed by YAML 1.1's
 * rules (the ones Prometheus's Go YAML library uses: {@code yes} is a boolean, {@code 0x10} an
 * integer).
 */
sealed interface YamlNode {

  /** Where the node starts. */
  Mark mark();

  /** The YAML tag this node resolves to, for messages ({@code !!str}, {@code !!map}, ...). */
  String tag();

  /** A 1-based line and column. */
  record Mark(int line, int column) {}

  /** What a scalar resolved to; quoted scalars are always {@link #STRING}. */
  enum Kind {
    NULL("!!null"),
    BOOL("!!bool"),
    INT("!!int"),
    FLOAT("!!float"),
    STRING("!!str");

    final String tag;

    Kind(String tag) {
      this.tag = tag;
    }
  }

  /** A scalar: its text as written (after unquoting), and what it resolved to. */
  record Scalar(String text, Kind kind, Mark mark) implements YamlNode {
    @Override
    public String tag() {
      return kind.tag;
    }

    boolean isNull() {
      return kind == Kind.NULL;
    }
  }

  /** A sequence. */
  record Sequence(List<YamlNode> items, Mark mark) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String tag() {
      return "!!seq";
    }
  }

  /** A mapping, its entries in the order written; keys may repeat (the reader rejects that). */
  record Mapping(List<Entry> entries, Mark mark) implements YamlNode {
    public Mapping {
      entries = List.copyOf(entries);
    }

    @Override
    public String tag() {
      return "!!map";
    }
  }

  /** One key and its value. */
  record Entry(String key, Mark keyMark, YamlNode value) {}
}
