/** Tenants of a receiver and their limits. */
package io.meridian.tenant;
