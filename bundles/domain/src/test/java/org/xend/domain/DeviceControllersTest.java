package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.xend.api.spi.device.DeviceController;

class DeviceControllersTest {

    /** A controller that only names its class: waiting for controllers looks at nothing else. */
    private static DeviceController controllerOf(String deviceClass) {
        return (DeviceController) Proxy.newProxyInstance(DeviceController.class.getClassLoader(),
                new Class<?>[] {DeviceController.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "deviceClass" -> deviceClass;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aVmStartedWithTheDaemonWaitsForTheControllersOfItsDevices() throws Exception {
        DeviceControllers controllers = new DeviceControllers();
        controllers.add(controllerOf("vbd"));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return controllers.await(Set.of("vbd", "vif"), 10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(waiting.isDone(), "no vif controller yet");
        controllers.add(controllerOf("vif"));
        assertTrue(waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theWaitIsBoundedAndARegistryWithoutControllersDoesNotWait() throws Exception {
        DeviceControllers controllers = new DeviceControllers();
        long start = System.nanoTime();
        assertFalse(controllers.await(List.of("vtpm"), 200));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
        assertTrue(controllers.await(List.of(), 0), "a VM without devices needs none");

        long before = System.nanoTime();
        assertFalse(DeviceControllers.none().await(List.of("vbd"), 60_000));
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(5), "none() expects no controller");
    }
}
