/** The PromQL lexer and parser, producing an immutable AST of records. */
package io.meridian.promql.parser;
