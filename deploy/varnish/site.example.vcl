# This installation's part of bulletin.vcl: the web nodes, how Varnish spreads requests over them,
# and who may purge. Copy to site.vcl beside bulletin.vcl and name your nodes.
import directors;

probe bulletin_health {
  .url = "/healthz";
  .interval = 1s;
  .timeout = 1s;
  .window = 3;
  .threshold = 2;
}

backend node_a {
  .host = "10.0.0.11";
  .port = "3000";
  .probe = bulletin_health;
}

backend node_b {
  .host = "10.0.0.12";
  .port = "3000";
  .probe = bulletin_health;
}

# The workers send the purges (PURGE_URL=http://<this varnish>:6081/).
acl purgers {
  "127.0.0.1";
  "10.0.0.0"/24;
}

sub vcl_init {
  new nodes = directors.round_robin();
  nodes.add_backend(node_a);
  nodes.add_backend(node_b);
}
