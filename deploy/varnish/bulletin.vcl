# Varnish in front of Bulletin's web nodes (Varnish 7 with varnish-modules' xkey).
#   - Pages are stored under the keys in their Surrogate-Key header; Bulletin's purge job sends
#     `PURGE /` with `xkey-purge: <keys>` (PURGE_URL) on every change, which drops exactly the pages
#     that showed what changed. `xkey-softpurge` marks them stale instead (kept for grace).
#   - Stale-if-error: each page is kept past its lifetime for as long as its stale-if-error says.
#     While the nodes are healthy only a short grace applies (stale-while-revalidate: one reader gets
#     the old page while it is fetched again); when every node is down, the whole of it.
#   - Never stored: the newsroom, the Admin API, anything but GET/HEAD, requests with cookies or
#     credentials (staff signed in), answers that set a cookie or say private/no-store.
# The backends, their director (`nodes`) and who may purge (`purgers`) are in site.vcl, one file
# per installation: copy site.example.vcl.
vcl 4.1;

import std;
import xkey;

include "site.vcl";

sub vcl_recv {
  set req.backend_hint = nodes.backend();

  if (req.method == "PURGE") {
    if (!client.ip ~ purgers) {
      return (synth(403, "Not allowed to purge"));
    }
    if (req.http.xkey-purge) {
      set req.http.x-purged = xkey.purge(req.http.xkey-purge);
    } else if (req.http.xkey-softpurge) {
      set req.http.x-purged = xkey.softpurge(req.http.xkey-softpurge);
    } else {
      return (synth(400, "Name the keys: xkey-purge or xkey-softpurge"));
    }
    return (synth(200, "Purged " + req.http.x-purged));
  }

  if (req.url ~ "^/(newsroom|api/admin)(/|\?|$)") {
    return (pass);
  }
  # The live banner's stream stays open: piped, never buffered or stored.
  if (req.url ~ "^/alerts/live(\?|$)") {
    return (pipe);
  }
  if (req.method != "GET" && req.method != "HEAD") {
    return (pass);
  }
  if (req.http.Cookie || req.http.Authorization) {
    return (pass);
  }

  # With a node up, serve a stale page only briefly while it is fetched again; with none up,
  # as long as the page's stale-if-error allows (beresp.grace below).
  if (std.healthy(req.backend_hint)) {
    set req.grace = 10s;
  }
}

sub vcl_pipe {
  set bereq.http.connection = "close";
}

sub vcl_backend_response {
  # Bulletin names what a page shows in Surrogate-Key; xkey reads its own header.
  if (beresp.http.Surrogate-Key) {
    set beresp.http.xkey = beresp.http.Surrogate-Key;
  }
  if (beresp.http.Cache-Control ~ "(private|no-store)") {
    set beresp.uncacheable = true;
    set beresp.ttl = 120s;
    return (deliver);
  }
  if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
    set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 10s);
  }
  # The rest (Set-Cookie, s-maxage) as Varnish's built-in rules decide.
}

sub vcl_deliver {
  # The keys are for caches, not readers; browsers get Bulletin's own max-age.
  unset resp.http.xkey;
  unset resp.http.Surrogate-Key;
  unset resp.http.Cache-Tag;
  if (obj.hits > 0) {
    set resp.http.X-Varnish-Cache = "HIT";
  } else {
    set resp.http.X-Varnish-Cache = "MISS";
  }
}
