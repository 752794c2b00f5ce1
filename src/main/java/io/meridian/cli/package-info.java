/**
 * The command line (picocli): one command per role and tool, and the wiring that maps config onto
 * the engines' options.
 */
package io.meridian.cli;
