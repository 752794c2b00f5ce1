/**
 * The data model every layer shares: label sets, label matchers, samples and timestamps. Values
 * here are immutable.
 */
package io.meridian.model;
