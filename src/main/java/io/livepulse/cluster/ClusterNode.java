package io.livepulse.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.livepulse.Config;
import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * This node as a member of a LivePulse cluster: Vert.x's clustered event bus over Hazelcast (members
 * found through the {@code --cluster-members} list; multicast is off, since many networks drop it),
 * and the {@link Placement} that says which member owns each room, updated as members come and go.
 */
public final class ClusterNode implements Placement {
  private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
  /** How quickly a member that stopped answering (killed, cut off) is declared gone. */
  static final int HEARTBEAT_SECONDS = 1;
  static final int DEAD_AFTER_SECONDS = 5;

  private final HazelcastClusterManager manager;
  private volatile List<String> nodes = List.of();
  private volatile String self = "";
  private Vertx vertx;

  private ClusterNode(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  /** Joins (or forms) the cluster; the returned node's {@link #vertx()} is clustered. */
  public static ClusterNode join(VertxOptions options, Config.Cluster cluster,
                                 java.util.function.UnaryOperator<VertxBuilder> customize) {
    ClusterNode node = new ClusterNode(new HazelcastClusterManager(hazelcast(cluster)));
    options.setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setPort(0)
        .setClusterPublicHost(cluster.host()));
    node.vertx = customize.apply(Vertx.builder().with(options).withClusterManager(node.manager))
        .buildClustered().await();
    node.self = node.manager.getNodeId();
    node.refresh();
    node.manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        node.changed("joined: " + e.getMember().getAddress());
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        node.changed("left: " + e.getMember().getAddress());
      }
    });
    LOG.info("cluster: this node is " + node.self + ", members now " + node.nodes.size());
    return node;
  }

  static com.hazelcast.config.Config hazelcast(Config.Cluster cluster) {
    com.hazelcast.config.Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("livepulse");
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(HEARTBEAT_SECONDS));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(DEAD_AFTER_SECONDS));
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    var network = hz.getNetworkConfig();
    network.setPort(cluster.port() == 0 ? 5701 : cluster.port()).setPortAutoIncrement(cluster.port() == 0);
    network.setPublicAddress(cluster.host() + (cluster.port() == 0 ? "" : ":" + cluster.port()));
    network.getInterfaces().setEnabled(false);
    var join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var tcp = join.getTcpIpConfig().setEnabled(true);
    List<String> members = new ArrayList<>(cluster.members());
    if (members.isEmpty()) {
      members.add(cluster.host());
    }
    members.forEach(tcp::addMember);
    return hz;
  }

  private void refresh() {
    List<String> now = new ArrayList<>(manager.getNodes());
    now.sort(null);
    nodes = List.copyOf(now);
  }

  private void changed(String what) {
    refresh();
    LOG.info("cluster: a member " + what + "; members now " + nodes.size() + ", rooms move to their owners");
    List<String> view = nodes;
    // Local only: each node rebalances what it holds by its own view.
    vertx.runOnContext(v -> vertx.eventBus().publish(Bus.REBALANCE, new Bus.Rebalance(view),
        new DeliveryOptions().setLocalOnly(true)));
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public List<String> nodes() {
    List<String> n = nodes;
    return n.isEmpty() ? List.of(self) : n;
  }
}
