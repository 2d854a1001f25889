package dev.stallwatch.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional producer KafkaIO's exactly-once sink writes with, made safe to reuse after a
 * failed attempt.
 *
 * <p>Beam's exactly-once writer (2.70) keeps its producers in a cache shared by the whole JVM and
 * puts a producer back even when the attempt using it failed in the middle of a transaction — as
 * when Flink cancels the task for a failover and interrupts it between {@code beginTransaction} and
 * {@code commitTransaction}. The next attempt on that worker takes the producer from the cache and
 * its {@code beginTransaction} fails ("Invalid transition attempted from state IN_TRANSACTION to
 * state IN_TRANSACTION"); the writer puts it back again, so the job fails the same way at every
 * restart until the producer sits unused in the cache for a minute. The fault-injection test found
 * this on Flink by losing a task manager.
 *
 * <p>This producer remembers whether a transaction it began is still open. Beginning another one
 * then first aborts the old one (its records never become visible to {@code read_committed}
 * readers, and the writer's notion of what is committed only moves on a commit that returned). When
 * that abort fails, the producer says it is fenced: Beam's writer closes it and opens a new one,
 * whose {@code initTransactions} lets the broker finish or abort whatever the old one left, and
 * which learns from the sink's consumer group what was committed.
 */
final class GuardedTransactionalProducer<K, V> implements Producer<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedTransactionalProducer.class);

  private final Producer<K, V> delegate;
  private boolean transactionOpen;

  GuardedTransactionalProducer(Producer<K, V> delegate) {
    this.delegate = delegate;
  }

  /** KafkaIO's producer factory: a {@link KafkaProducer} for the config, guarded. */
  static <K, V> SerializableFunction<Map<String, Object>, Producer<K, V>> factory() {
    return config -> new GuardedTransactionalProducer<>(new KafkaProducer<K, V>(config));
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
    transactionOpen = false;
  }

  @Override
  public void beginTransaction() throws ProducerFencedException {
    if (transactionOpen) {
      try {
        delegate.abortTransaction();
        transactionOpen = false;
        LOG.warn("aborted a transaction an earlier, failed attempt left open on this producer");
      } catch (RuntimeException e) {
        throw new ProducerFencedException(
            "this producer holds a transaction an earlier, failed attempt left open, and it cannot be"
                + " aborted (" + e + "); a new producer must take over");
      }
    }
    delegate.beginTransaction();
    transactionOpen = true;
  }

  @Override
  @Deprecated
  @SuppressWarnings("deprecation")
  public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId)
      throws ProducerFencedException {
    delegate.sendOffsetsToTransaction(offsets, consumerGroupId);
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata)
      throws ProducerFencedException {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void commitTransaction() throws ProducerFencedException {
    delegate.commitTransaction();
    transactionOpen = false;
  }

  @Override
  public void abortTransaction() throws ProducerFencedException {
    delegate.abortTransaction();
    transactionOpen = false;
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    return delegate.send(record);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    return delegate.send(record, callback);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
