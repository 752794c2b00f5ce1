/** Relabelling rules (replace, keep, drop, hashmod, labelmap, ...) with RE2 semantics via re2j. */
package io.meridian.relabel;
