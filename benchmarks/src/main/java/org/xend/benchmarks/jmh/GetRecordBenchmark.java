package org.xend.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xend.api.CallContext;
import org.xend.api.XenApi;
import org.xend.benchmarks.GetRecordFixture;
import org.xend.benchmarks.XenApiSuccess;
import org.xend.core.Dispatcher;
import org.xend.rpc.xmlrpc.ListenerSettings;
import org.xend.rpc.xmlrpc.XmlRpcEndpoint;

/**
 * The daemon's hot path for {@code VM.get_record}, without HTTP: the dispatcher alone, the XML-RPC endpoint (decode,
 * dispatch, encode) around it, and the endpoint around canned answers to separate the codec from the dispatcher.
 * The VM is {@link GetRecordFixture}'s running PV guest, created directly in the object store.
 *
 * <p>Reading the figures: {@code endpointFullCall} is what a worker thread spends per request before Netty writes the
 * response; {@code endpointCannedVoid} is roughly the decoding of the request, and
 * {@code endpointCannedRecord - endpointCannedVoid} the encoding of the record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class GetRecordBenchmark {

    private static final CallContext CONTEXT = CallContext.of("http", "127.0.0.1");
    /** Netty's default pooled allocator, which the HTTP transport's channels use for response buffers. */
    private static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private ExecutorService taskWorkers;
    private Dispatcher dispatcher;
    private XmlRpcEndpoint fullEndpoint;
    private XmlRpcEndpoint cannedRecordEndpoint;
    private XmlRpcEndpoint cannedVoidEndpoint;
    private List<Object> params;
    private ByteBuf request;

    @Setup(Level.Trial)
    public void setUp() {
        taskWorkers = Executors.newSingleThreadExecutor();
        dispatcher = GetRecordFixture.dispatcher(taskWorkers);
        params = List.of(GetRecordFixture.SESSION, GetRecordFixture.VM);

        int maxDepth = ListenerSettings.DEFAULT_MAX_DEPTH;
        fullEndpoint = new XmlRpcEndpoint(dispatcher, maxDepth);
        Map<String, Object> record = dispatcher.call(CONTEXT, "VM.get_record", params);
        XenApi cannedRecord = (context, method, p) -> record;
        cannedRecordEndpoint = new XmlRpcEndpoint(cannedRecord, maxDepth);
        Map<String, Object> voidAnswer = Map.of("Status", "Success", "Value", "");
        XenApi cannedVoid = (context, method, p) -> voidAnswer;
        cannedVoidEndpoint = new XmlRpcEndpoint(cannedVoid, maxDepth);

        request = Unpooled.wrappedBuffer(GetRecordFixture.getRecordRequest(GetRecordFixture.SESSION,
                GetRecordFixture.VM).getBytes(StandardCharsets.UTF_8));
        requireSuccess(fullEndpoint);
        requireSuccess(cannedRecordEndpoint);
        requireSuccess(cannedVoidEndpoint);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        taskWorkers.shutdownNow();
    }

    /** The dispatcher alone: checks, store read and the record's conversion to wire values. */
    @Benchmark
    public Map<String, Object> dispatcherGetRecord() {
        return dispatcher.call(CONTEXT, "VM.get_record", params);
    }

    /** Decode the methodCall, dispatch, encode the methodResponse: the whole call minus HTTP. */
    @Benchmark
    public int endpointFullCall() {
        return handle(fullEndpoint);
    }

    /** Decode the methodCall and encode a record computed beforehand. */
    @Benchmark
    public int endpointCannedRecord() {
        return handle(cannedRecordEndpoint);
    }

    /** Decode the methodCall and encode an empty success. */
    @Benchmark
    public int endpointCannedVoid() {
        return handle(cannedVoidEndpoint);
    }

    /** As the HTTP transport does: the response comes in a pooled buffer, released once written (here, at once). */
    private int handle(XmlRpcEndpoint endpoint) {
        request.readerIndex(0);
        ByteBuf response = endpoint.handle(request, CONTEXT, ALLOCATOR);
        try {
            return response.readableBytes();
        } finally {
            response.release();
        }
    }

    /** Fails the trial rather than measure an error path. */
    private void requireSuccess(XmlRpcEndpoint endpoint) {
        request.readerIndex(0);
        ByteBuf response = endpoint.handle(request, CONTEXT, ALLOCATOR);
        byte[] out = new byte[response.readableBytes()];
        response.getBytes(response.readerIndex(), out);
        response.release();
        if (!XenApiSuccess.in(out)) {
            String text = new String(out, StandardCharsets.UTF_8);
            throw new IllegalStateException("VM.get_record did not succeed: "
                    + text.substring(0, Math.min(500, text.length())));
        }
    }
}
