/**
 * Small shared helpers that depend on nothing: clocks, string ordering, varints and checksums as
 * they come.
 */
package io.meridian.util;
