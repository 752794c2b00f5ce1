/**
 * The HTTP server: API v1, /federate, remote write and read endpoints, authentication, UI assets.
 */
package io.meridian.web;
