package org.xend.benchmarks;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.xend.rpc.xmlrpc.ListenerSettings;
import org.xend.rpc.xmlrpc.XmlRpcHttpServer;

/**
 * The daemon's XML-RPC front door (Netty) and dispatcher in a plain JVM, without Karaf: {@link GetRecordFixture}'s
 * store behind the real {@link XmlRpcHttpServer} on 127.0.0.1. Comparing it with the daemon in Karaf separates the
 * cost of the code path from that of the container around it.
 *
 * <pre>
 * java -cp CLASSPATH org.xend.benchmarks.StandaloneFrontDoor --port 9402 --write-request get_record.standalone.xml
 * </pre>
 * {@code --write-request} saves the body of {@code VM.get_record} for the one accepted session and VM.
 */
public final class StandaloneFrontDoor {

    private StandaloneFrontDoor() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path requestFile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--write-request" -> requestFile = Path.of(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(64);
                }
            }
        }
        if (args.length % 2 != 0 || port < 0 || port > 65535) {
            System.err.println("usage: StandaloneFrontDoor [--port 0] [--write-request FILE]");
            System.exit(64);
        }
        if (requestFile != null) {
            Files.writeString(requestFile,
                    GetRecordFixture.getRecordRequest(GetRecordFixture.SESSION, GetRecordFixture.VM),
                    StandardCharsets.UTF_8);
        }
        ExecutorService taskWorkers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "standalone-task");
            t.setDaemon(true);
            return t;
        });
        XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", port),
                GetRecordFixture.dispatcher(taskWorkers));
        InetSocketAddress bound = server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            taskWorkers.shutdownNow();
            stopped.countDown();
        }, "standalone-shutdown"));
        System.out.println("StandaloneFrontDoor listening on 127.0.0.1:" + bound.getPort() + " (pid "
                + ProcessHandle.current().pid() + ")");
        stopped.await();
    }
}
