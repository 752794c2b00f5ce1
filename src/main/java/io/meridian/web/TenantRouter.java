package io.meridian.web;

import io.meridian.remote.WriteReceiver;
import io.meridian.tenant.IngestionLimiter;
import io.meridian.tenant.TenantId;
import io.meridian.tenant.TenantStores;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A receiver's routes per tenant: the tenant comes from a header ({@code X-Scope-OrgID} by default,
 * as Cortex and Mimir; Thanos's {@code THANOS-TENANT} is accepted too), or is the default tenant
 * when there is none. Remote write, remote read, the query API and {@code /federate} then see only
 * that tenant's TSDB, so no API shows one tenant another's series.
 */
public final class TenantRouter extends Handler.Abstract {
  private static final String THANOS_HEADER = "THANOS-TENANT";

  private final TenantStores stores;
  private final String header;
  private final String defaultTenant;
  private final WriteReceiver receiver;
  private final Function<Tsdb, ApiBackend> backends;
  private final Supplier<IngestionLimiter> limiters; // null: no ingestion rate limit
  private final Map<String, Handler> routes = new ConcurrentHashMap<>();
  private final Handler empty;

  /**
   * @param backends the API's view of one tenant's TSDB (called with null once, for the answers of
   *     a tenant without data)
   * @param limiters a new tenant's ingestion rate limiter, or null for none
   */
  public TenantRouter(
      TenantStores stores,
      String header,
      String defaultTenant,
      WriteReceiver receiver,
      Function<Tsdb, ApiBackend> backends,
      Supplier<IngestionLimiter> limiters) {
    this.stores = stores;
    this.limiters = limiters;
    this.header = header;
    this.defaultTenant = defaultTenant;
    this.receiver = receiver;
    this.backends = backends;
    ApiBackend none = backends.apply(null);
    Head nothing = new Head(HeadOptions.defaults(), Journal.NONE);
    ApiBackend emptyBackend =
        new ApiBackend(
            nothing,
            none.engine(),
            null,
            none.clock(),
            none.build(),
            none.flags(),
            none.ready(),
            none.registry(),
            none.externalLabels(),
            false,
            null,
            none.scrapePools(),
            none.configYaml());
    this.empty =
        new Handler.Sequence(
            new RemoteReadEndpoint(emptyBackend),
            new HttpApi(emptyBackend),
            new Federation(emptyBackend));
  }

  /** The tenant a request is for. */
  String tenant(Request request) {
    String t = request.getHeaders().get(header);
    if (t == null || t.isEmpty()) {
      t = request.getHeaders().get(THANOS_HEADER);
    }
    return t == null || t.isEmpty() ? defaultTenant : t;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.startsWith("/api/") && !path.equals("/federate")) {
      return false;
    }
    String tenant = tenant(request);
    String invalid = TenantId.invalidReason(tenant);
    if (invalid != null) {
      ProtoBodies.text(response, callback, 400, "invalid tenant ID \"" + tenant + "\": " + invalid);
      return true;
    }
    boolean write = path.equals("/api/v1/write") || path.equals("/api/v1/receive");
    if (!write) {
      // Reads never create a tenant: one with no data yet answers as an empty store.
      Tsdb db = stores.find(tenant);
      Handler h = db == null ? empty : routes.computeIfAbsent(tenant, t -> routesOf(t, db));
      return h.handle(request, response, callback);
    }
    Tsdb db;
    try {
      db = stores.get(tenant);
    } catch (IOException e) {
      ProtoBodies.text(response, callback, 500, "opening tenant " + tenant + ": " + e.getMessage());
      return true;
    }
    return routes.computeIfAbsent(tenant, t -> routesOf(t, db)).handle(request, response, callback);
  }

  private Handler routesOf(String tenant, Tsdb db) {
    ApiBackend backend = backends.apply(db);
    WriteReceiver.Admission admission = WriteReceiver.Admission.ALL;
    if (limiters != null) {
      IngestionLimiter limiter = limiters.get();
      admission =
          n ->
              limiter.tryTake(n)
                  ? null
                  : "ingestion rate limit ("
                      + (long) limiter.rate()
                      + " samples/s, burst "
                      + (long) limiter.burst()
                      + ") exceeded by tenant "
                      + tenant
                      + " with "
                      + n
                      + " samples";
    }
    return new Handler.Sequence(
        RemoteWriteEndpoint.enabled(receiver, db, admission),
        new RemoteReadEndpoint(backend),
        new HttpApi(backend),
        new Federation(backend));
  }
}
