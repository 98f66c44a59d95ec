package io.pgcopydb.internal.run;

import io.pgcopydb.CopyListener;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listener plumbing. A proxy keeps the forwarding generic: {@link CopyListener} gains events over time and a
 * hand-written forwarder would have to follow every one.
 */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    /** Forwards each event to a listener, containing anything it throws (logged once at WARN). */
    public static CopyListener guarded(CopyListener delegate) {
        if (delegate == CopyListener.NONE) {
            return delegate;
        }
        AtomicBoolean warned = new AtomicBoolean();
        return proxy((method, args) -> {
            try {
                method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                if (warned.compareAndSet(false, true)) {
                    LOG.warn("listener {} threw from {}; the copy goes on and further listener errors are not logged",
                            delegate.getClass().getName(), method.getName(), e.getCause());
                }
            }
        });
    }

    /** Forwards each event to every listener, in order; one that throws does not keep the others from it. */
    public static CopyListener composite(List<CopyListener> listeners) {
        List<CopyListener> guarded = listeners.stream().map(Listeners::guarded).toList();
        return proxy((method, args) -> {
            for (CopyListener l : guarded) {
                method.invoke(l, args);
            }
        });
    }

    private interface Call {
        void invoke(Method method, Object[] args) throws Throwable;
    }

    private static CopyListener proxy(Call call) {
        InvocationHandler handler = (p, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> p == args[0];
                    case "hashCode" -> System.identityHashCode(p);
                    default -> "CopyListener proxy";
                };
            }
            call.invoke(method, args);
            return null;
        };
        return (CopyListener) Proxy.newProxyInstance(CopyListener.class.getClassLoader(),
                new Class<?>[] {CopyListener.class}, handler);
    }
}
