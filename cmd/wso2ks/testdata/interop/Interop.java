// Interop checks keystores the way WSO2 products and their tools open them, all in one JVM run.
//
//   java Interop.java spec.properties
//
// The spec is a java.util.Properties file (read as UTF-8, so backslash-u escapes and raw UTF-8 both work):
//
//   store.N.path, store.N.type (JKS|PKCS12), store.N.password (store and key password),
//   store.N.role (primary|internal|tls|wssec|truststore),
//   store.N.alias (key stores: the configured key alias),
//   store.N.entries (truststores: comma-separated aliases that must be trusted-certificate entries)
//
//   handshake.N.server.{path,type,password}  JSSE server key store, opened with the store password
//   handshake.N.client.{path,type,password}  the only trust anchors of the client
//   handshake.N.hosts                         comma-separated names that must pass hostname verification
//
//   serve.N.{path,type,password}  a JSSE server on that key store (opened with the store password) on a
//                                 loopback port, for a client outside the JVM (wso2ks verify --connect):
//                                 after the checks it prints "serving serve.N on port P" for each and
//                                 serves until standard input closes, then prints the summary
//
// N counts 0, 1, 2, ... and stops at the first missing store.N.path, handshake.N.server.path or serve.N.path; any key
// outside that scheme is an error, so a typo or a gap in the numbering cannot skip a check.
//
// Output: one line per check, "OK <what>" or "FAIL <what>: <reason>", then "interop: N passed, M failed".
// Exit code 0 when nothing failed, 1 when a check failed, 2 when the spec cannot be read. Passwords are
// never printed. Every socket has a timeout and a watchdog ends the run, so it cannot hang.
// This file is ASCII on purpose: JDK 17 compiles it in the locale's charset.

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class Interop {
    // The transformations WSO2's cipher tool uses: "RSA" (PKCS#1 v1.5) for IS and APIM, OAEP for MI.
    static final String[] CIPHER_TRANSFORMATIONS = {"RSA/ECB/PKCS1Padding", "RSA/ECB/OAEPwithSHA1andMGF1Padding"};
    static final byte[] PLAINTEXT = "wso2ks interop: secret value".getBytes(StandardCharsets.UTF_8);
    static final Set<String> ROLES = Set.of("primary", "internal", "tls", "wssec", "truststore");
    static final Set<String> TYPES = Set.of("JKS", "PKCS12");
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    // A name no certificate of ours carries: hostname verification must reject it.
    static final String NOT_IN_SAN = "wso2ks-not-in-san.invalid";
    static final int SOCKET_TIMEOUT_MS = 10_000;
    // Below the Go harness's 3-minute limit, so the report is printed before it gives up.
    static final long WATCHDOG_MS = 150_000;

    static final Object LOCK = new Object();
    static PrintStream out;
    static int passed, failed;
    static final List<String> secrets = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        // JDK 17 encodes System.out in the locale's charset ('?' for non-ASCII paths under LANG=C).
        out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (args.length != 1) {
            System.err.println("usage: java Interop.java SPEC.properties");
            System.exit(2);
        }
        Spec spec;
        try {
            spec = Spec.read(args[0]);
        } catch (Exception e) {
            System.err.println("interop: cannot read spec " + args[0] + ": " + describe(e));
            System.exit(2);
            return;
        }
        startWatchdog();
        for (StoreSpec s : spec.stores) {
            checkStore(s);
        }
        for (HandshakeSpec h : spec.handshakes) {
            checkHandshake(h);
        }
        if (!spec.serves.isEmpty()) {
            serveUntilStdinCloses(spec.serves);
        }
        synchronized (LOCK) {
            out.println("interop: " + passed + " passed, " + failed + " failed");
            out.flush();
            System.exit(failed == 0 ? 0 : 1);
        }
    }

    // ---- the spec

    static final class StoreSpec {
        String name, path, type, password, role, alias;
        List<String> entries = List.of();
    }

    static final class HandshakeSpec {
        String name;
        StoreSpec server, client;
        List<String> hosts = List.of();
    }

    static final class Spec {
        final List<StoreSpec> stores = new ArrayList<>();
        final List<HandshakeSpec> handshakes = new ArrayList<>();
        final List<StoreSpec> serves = new ArrayList<>();

        static Spec read(String file) throws IOException {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(file));
                 Reader r = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                         .onMalformedInput(CodingErrorAction.REPORT)
                         .onUnmappableCharacter(CodingErrorAction.REPORT))) {
                p.load(r);
            }
            Set<String> unused = new TreeSet<>(p.stringPropertyNames());
            Spec spec = new Spec();
            for (int n = 0; p.getProperty("store." + n + ".path") != null; n++) {
                String k = "store." + n;
                StoreSpec s = store(p, unused, k, "store." + n);
                s.role = take(p, unused, k + ".role");
                s.alias = take(p, unused, k + ".alias");
                s.entries = list(take(p, unused, k + ".entries"));
                spec.stores.add(s);
            }
            for (int n = 0; p.getProperty("handshake." + n + ".server.path") != null; n++) {
                String k = "handshake." + n;
                HandshakeSpec h = new HandshakeSpec();
                h.name = k;
                h.server = store(p, unused, k + ".server", k + " server");
                h.client = store(p, unused, k + ".client", k + " client");
                h.hosts = list(take(p, unused, k + ".hosts"));
                spec.handshakes.add(h);
            }
            for (int n = 0; p.getProperty("serve." + n + ".path") != null; n++) {
                spec.serves.add(store(p, unused, "serve." + n, "serve." + n));
            }
            if (!unused.isEmpty()) {
                throw new IOException("unknown or out-of-sequence keys " + unused
                        + " (numbering starts at 0 and must have no gaps)");
            }
            if (spec.stores.isEmpty() && spec.handshakes.isEmpty() && spec.serves.isEmpty()) {
                throw new IOException("nothing to check: no store.0.path, handshake.0.server.path or serve.0.path");
            }
            return spec;
        }

        static StoreSpec store(Properties p, Set<String> unused, String prefix, String name) {
            StoreSpec s = new StoreSpec();
            s.name = name;
            s.path = take(p, unused, prefix + ".path");
            s.type = take(p, unused, prefix + ".type");
            s.password = take(p, unused, prefix + ".password");
            if (s.password != null && !s.password.isEmpty()) {
                secrets.add(s.password);
            }
            return s;
        }

        static String take(Properties p, Set<String> unused, String key) {
            unused.remove(key);
            return p.getProperty(key);
        }

        static List<String> list(String v) {
            if (v == null) {
                return List.of();
            }
            List<String> l = new ArrayList<>();
            for (String item : v.split(",")) {
                if (!item.trim().isEmpty()) {
                    l.add(item.trim());
                }
            }
            return l;
        }
    }

    // ---- stores

    static void checkStore(StoreSpec s) {
        String role = s.role == null || s.role.isEmpty() ? "?" : s.role;
        String what = s.name + " " + role;
        KeyStore ks = load(s, what + " load " + s.type + " " + s.path);
        if (ks == null) {
            return;
        }
        if (!ROLES.contains(role)) {
            fail(what + " role", "unknown role " + role + " (want primary, internal, tls, wssec or truststore)");
            return;
        }
        if (role.equals("truststore")) {
            checkTruststore(s, ks, what);
            return;
        }
        PrivateKey key = checkKeyEntry(s, ks, what + " key " + s.alias);
        if (role.equals("tls")) {
            checkSingleKeyEntry(ks, what + " single key entry");
        }
        if (key == null || role.equals("tls")) {
            return;
        }
        boolean rsa = key.getAlgorithm().equals("RSA");
        if (role.equals("wssec") && !rsa) {
            return;
        }
        if (!rsa) {
            fail(what + " cipher", "the key is " + key.getAlgorithm()
                    + "; WSO2's cipher tool and secure vault need an RSA key");
            return;
        }
        try {
            Certificate cert = ks.getCertificate(s.alias);
            for (String t : CIPHER_TRANSFORMATIONS) {
                checkCipher(t, cert, key, what + " cipher " + t);
            }
        } catch (Exception e) {
            fail(what + " cipher", describe(e));
        }
    }

    // load opens a store as KeyStore.getInstance(type).load(stream, password) and reports it as what.
    static KeyStore load(StoreSpec s, String what) {
        String missing = s.path == null ? ".path" : s.type == null ? ".type" : s.password == null ? ".password" : null;
        if (missing != null) {
            fail(what, "the spec has no " + s.name.replace(' ', '.') + missing);
            return null;
        }
        if (!TYPES.contains(s.type)) {
            fail(what, "unknown type " + s.type + " (want JKS or PKCS12)");
            return null;
        }
        try {
            byte[] data = Files.readAllBytes(Path.of(s.path));
            // JDK 9+ loads a PKCS#12 file as JKS and the reverse (keystore.type.compat), so a wrong
            // type would go unnoticed here; the products' configured type must still be the real one.
            String format = format(data);
            if (!format.equals(s.type)) {
                fail(what, "the file is " + format + ", not " + s.type);
                return null;
            }
            KeyStore ks = KeyStore.getInstance(s.type);
            ks.load(new ByteArrayInputStream(data), s.password.toCharArray());
            ok(what);
            return ks;
        } catch (Exception e) {
            fail(what, describe(e));
            return null;
        }
    }

    static String format(byte[] data) {
        if (data.length >= 4 && (data[0] & 0xff) == 0xfe && (data[1] & 0xff) == 0xed
                && (data[2] & 0xff) == 0xfe && (data[3] & 0xff) == 0xed) {
            return "JKS";
        }
        if (data.length >= 4 && (data[0] & 0xff) == 0xce && (data[1] & 0xff) == 0xce
                && (data[2] & 0xff) == 0xce && (data[3] & 0xff) == 0xce) {
            return "JCEKS";
        }
        if (data.length >= 1 && data[0] == 0x30) {
            return "PKCS12";
        }
        return "neither JKS nor PKCS12";
    }

    static PrivateKey checkKeyEntry(StoreSpec s, KeyStore ks, String what) {
        if (s.alias == null || s.alias.isEmpty()) {
            fail(what, "the spec has no " + s.name + ".alias");
            return null;
        }
        try {
            if (!ks.containsAlias(s.alias)) {
                fail(what, "no entry named " + s.alias + "; the store has " + aliases(ks));
                return null;
            }
            if (!ks.isKeyEntry(s.alias)) {
                fail(what, "entry " + s.alias + " is a trusted certificate, not a private key");
                return null;
            }
            // Products open the key with key_password, which must equal the store password.
            Key key = ks.getKey(s.alias, s.password.toCharArray());
            if (!(key instanceof PrivateKey)) {
                fail(what, "entry " + s.alias + " holds " + (key == null ? "no key" : "a secret key"));
                return null;
            }
            if (ks.getCertificate(s.alias) == null) {
                fail(what, "entry " + s.alias + " has no certificate");
                return null;
            }
            ok(what);
            return (PrivateKey) key;
        } catch (Exception e) {
            fail(what, describe(e));
            return null;
        }
    }

    static void checkSingleKeyEntry(KeyStore ks, String what) {
        try {
            List<String> keys = new ArrayList<>();
            for (String a : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(a)) {
                    keys.add(a);
                }
            }
            Collections.sort(keys);
            if (keys.size() == 1) {
                ok(what);
            } else {
                fail(what, keys.size() + " key entries " + keys
                        + "; Tomcat and the passthrough transport need exactly one");
            }
        } catch (Exception e) {
            fail(what, describe(e));
        }
    }

    // checkCipher does what WSO2's cipher tool does: encrypt with the certificate (which enforces a
    // critical KeyUsage), then decrypt with the private key as the server's secret resolver would.
    static void checkCipher(String transformation, Certificate cert, PrivateKey key, String what) {
        try {
            Cipher enc = Cipher.getInstance(transformation);
            enc.init(Cipher.ENCRYPT_MODE, cert);
            byte[] sealed = enc.doFinal(PLAINTEXT);
            Cipher dec = Cipher.getInstance(transformation);
            dec.init(Cipher.DECRYPT_MODE, key);
            byte[] opened = dec.doFinal(sealed);
            if (Arrays.equals(opened, PLAINTEXT)) {
                ok(what);
            } else {
                fail(what, "decrypting with the private key did not give back the plaintext;"
                        + " the certificate does not belong to the key");
            }
        } catch (Exception e) {
            fail(what, describe(e));
        }
    }

    static void checkTruststore(StoreSpec s, KeyStore ks, String what) {
        for (String alias : s.entries) {
            String w = what + " trusted " + alias;
            try {
                if (!ks.containsAlias(alias)) {
                    fail(w, "no entry named " + alias + "; the store has " + aliases(ks));
                } else if (!ks.isCertificateEntry(alias)) {
                    fail(w, "entry " + alias + " is a private key, not a trusted certificate");
                } else {
                    ok(w);
                }
            } catch (Exception e) {
                fail(w, describe(e));
            }
        }
        try {
            if (ks.size() > 0) {
                ok(what + " not empty");
            } else {
                fail(what + " not empty", "Java sees no entries (a PKCS#12 certificate bag needs Oracle's"
                        + " trusted-key-usage attribute 2.16.840.1.113894.746875.1.1)");
            }
        } catch (Exception e) {
            fail(what + " not empty", describe(e));
        }
    }

    static String aliases(KeyStore ks) throws Exception {
        List<String> l = Collections.list(ks.aliases());
        Collections.sort(l);
        if (l.size() > 20) {
            // A truststore with the public CA bundle has some 140 entries.
            return l.subList(0, 20).toString().replace("]", ", ...] (" + l.size() + " entries)");
        }
        return l.isEmpty() ? "no entries" : l.toString();
    }

    // ---- handshakes

    static void checkHandshake(HandshakeSpec h) {
        KeyStore serverStore = load(h.server, h.name + " server load " + h.server.type + " " + h.server.path);
        KeyStore clientStore = load(h.client, h.name + " client load " + h.client.type + " " + h.client.path);
        if (serverStore == null || clientStore == null) {
            return;
        }
        SSLServerSocket server;
        try {
            server = serverSocket(serverStore, h.server);
            ok(h.name + " server context");
        } catch (Exception e) {
            fail(h.name + " server context", describe(e));
            return;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(clientStore);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            Map<Integer, CompletableFuture<Throwable>> served = new ConcurrentHashMap<>();
            daemon(() -> serve(server, served));
            if (h.hosts.isEmpty()) {
                fail(h.name + " hosts", "the spec lists no " + h.name + ".hosts");
            }
            for (String host : h.hosts) {
                String what = h.name + " host " + host;
                Throwable err = connect(client, server.getLocalPort(), host, served);
                if (err == null) {
                    ok(what);
                } else {
                    fail(what, describe(err));
                }
            }
            String what = h.name + " negative control " + NOT_IN_SAN;
            Throwable err = connect(client, server.getLocalPort(), NOT_IN_SAN, served);
            if (err == null) {
                fail(what, "hostname verification accepted a name that is not in the certificate");
            } else if (isHostnameMismatch(err)) {
                ok(what);
            } else {
                fail(what, "inconclusive, the handshake failed before hostname verification: " + describe(err));
            }
        } catch (Exception e) {
            fail(h.name + " client context", describe(e));
        } finally {
            try {
                server.close();
            } catch (IOException e) {
                // The accept thread is a daemon; nothing is left to clean up.
            }
        }
    }

    // serverSocket listens on a loopback port with the key of store, opened with the store password as
    // Tomcat and the passthrough transport open it.
    static SSLServerSocket serverSocket(KeyStore store, StoreSpec s) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, s.password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(PROTOCOLS);
        return server;
    }

    // serveUntilStdinCloses runs a server for each serve.N until standard input reaches its end (the
    // watchdog ends the run at the latest).
    static void serveUntilStdinCloses(List<StoreSpec> serves) {
        for (StoreSpec s : serves) {
            KeyStore store = load(s, s.name + " load " + s.type + " " + s.path);
            if (store == null) {
                continue;
            }
            try {
                SSLServerSocket server = serverSocket(store, s);
                daemon(() -> serve(server, new ConcurrentHashMap<>()));
                ok(s.name + " server context");
                synchronized (LOCK) {
                    out.println("serving " + s.name + " on port " + server.getLocalPort());
                    out.flush();
                }
            } catch (Exception e) {
                fail(s.name + " server context", describe(e));
            }
        }
        try {
            while (System.in.read() >= 0) {
                // Serve until the driver closes our standard input.
            }
        } catch (IOException e) {
            // The driver is gone: stop serving.
        }
    }

    // serve accepts connections until the socket is closed, each on its own thread: handshake, read a
    // byte, echo it. The outcome is filed under the client's port, for the client to quote on failure.
    static void serve(SSLServerSocket server, Map<Integer, CompletableFuture<Throwable>> served) {
        while (!server.isClosed()) {
            SSLSocket accepted;
            try {
                accepted = (SSLSocket) server.accept();
            } catch (IOException e) {
                return;
            }
            int clientPort = accepted.getPort();
            daemon(() -> {
                Throwable err = null;
                try (SSLSocket s = accepted) {
                    s.setSoTimeout(SOCKET_TIMEOUT_MS);
                    s.startHandshake();
                    int b = s.getInputStream().read();
                    if (b < 0) {
                        throw new EOFException("the client closed before sending its byte");
                    }
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                } catch (Throwable e) {
                    err = e;
                }
                served.computeIfAbsent(clientPort, k -> new CompletableFuture<>()).complete(err);
            });
        }
    }

    // connect runs one client connection as an HTTPS client does and returns what went wrong, if anything.
    static Throwable connect(SSLContext ctx, int port, String host,
                             Map<Integer, CompletableFuture<Throwable>> served) {
        int localPort = -1;
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SOCKET_TIMEOUT_MS);
            plain.setSoTimeout(SOCKET_TIMEOUT_MS);
            localPort = plain.getLocalPort();
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setProtocols(PROTOCOLS);
                if (!isIPLiteral(host)) {
                    p.setServerNames(List.of(new SNIHostName(host)));
                }
                s.setSSLParameters(p);
                s.startHandshake();
                OutputStream o = s.getOutputStream();
                o.write(0x2a);
                o.flush();
                int b = s.getInputStream().read();
                if (b != 0x2a) {
                    throw new IOException("the server answered " + b + " instead of echoing 42");
                }
            }
            return null;
        } catch (Exception e) {
            Throwable serverSide = null;
            if (localPort > 0) {
                try {
                    serverSide = served.computeIfAbsent(localPort, k -> new CompletableFuture<>())
                            .get(2, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // No server-side report in time: the client's view is enough.
                }
            }
            // Only the server's own TLS complaint adds anything; a broken pipe, an EOF or the client's
            // alert echoed back is just the client hanging up.
            if (serverSide instanceof SSLException
                    && !String.valueOf(serverSide.getMessage()).startsWith("Received fatal alert")) {
                e.addSuppressed(serverSide);
            }
            return e;
        }
    }

    static boolean isIPLiteral(String host) {
        return host.contains(":") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    // isHostnameMismatch recognises the CertificateException of sun.security.util.HostnameChecker, the
    // last step of X509TrustManagerImpl: the chain was trusted and only the name did not match.
    static boolean isHostnameMismatch(Throwable e) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t.getClass() == CertificateException.class
                    && (m.contains("No subject alternative") || m.contains("No name matching"))) {
                return true;
            }
        }
        return false;
    }

    // ---- output

    static void ok(String what) {
        synchronized (LOCK) {
            passed++;
            out.println(redact("OK " + what));
        }
    }

    static void fail(String what, String reason) {
        synchronized (LOCK) {
            failed++;
            out.println(redact("FAIL " + what + ": " + reason));
        }
    }

    static String redact(String line) {
        for (String s : secrets) {
            if (s.length() >= 6) {
                line = line.replace(s, "<password>");
            }
        }
        return line.replace('\n', ' ').replace('\r', ' ');
    }

    // describe gives the exception class and message, the root cause when the message does not already
    // include it, and what the server saw (attached as a suppressed exception by connect).
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(one(e));
        Throwable root = e;
        Set<Throwable> seen = new HashSet<>();
        while (root.getCause() != null && seen.add(root)) {
            root = root.getCause();
        }
        if (root != e && (e.getMessage() == null || root.getMessage() == null
                || !e.getMessage().contains(root.getMessage()))) {
            b.append(" (caused by ").append(one(root)).append(')');
        }
        for (Throwable s : e.getSuppressed()) {
            b.append("; server side: ").append(one(s));
        }
        return b.toString();
    }

    static String one(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
    }

    static void daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
    }

    static void startWatchdog() {
        daemon(() -> {
            try {
                Thread.sleep(WATCHDOG_MS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (LOCK) {
                fail("interop", "gave up after " + WATCHDOG_MS / 1000 + " s: a check hung");
                out.println("interop: " + passed + " passed, " + failed + " failed");
                out.flush();
                Runtime.getRuntime().halt(1);
            }
        });
    }
}
