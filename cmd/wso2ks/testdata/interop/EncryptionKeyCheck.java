// EncryptionKeyCheck reads the internal data encryption key of products of
// wso2ks bundles the way the product gets it, and uses it as
// SymmetricKeyInternalCryptoProvider does: AES/GCM/NoPadding with the JDK's
// Cipher.
//
// For each key.N of the spec (a java.util.Properties file) it reads the
// [encryption] key of the snippet, then:
//   plain: the value itself;
//   env:   the value must be $env{VAR}, VAR is read from secrets.env;
//   vault: the value must be $secret{alias}; the [secrets] ciphertext of
//          alias is decrypted as WSO2's secure vault does (the algorithm of
//          secret-conf.properties, "RSA" when absent; the identity store's
//          private key) and must equal VAR in secrets.env.
// The key must be hex and not WSO2's published default. Its AES key bytes
// are what carbon-crypto-service derives: the string's own bytes ("raw", up
// to 1.1.14: IS 5.11 to 7.0) or the hex-decoded bytes ("hex", 1.1.16 and
// later, for 64 digits: IS 7.1, APIM 4.7); either way 32 bytes, AES-256.
// Then an encrypt/decrypt round trip with a random 12-byte IV and a 128-bit
// tag must give the plaintext back, and decrypting with another key must
// fail. key.N.expect=fail marks a negative control: it must fail.
//
// Usage: java EncryptionKeyCheck.java SPEC. Prints OK/FAIL lines and
// "keys: N passed, M failed"; exits 1 on failure.
//
// ASCII only: the JDK compiles this file in the locale's charset.

import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class EncryptionKeyCheck {
    static final String WSO2_DEFAULT = "03BAFEB27A8E871CAD83C5CD4E771DAB";
    static int passed, failed;

    static class CheckFailed extends Exception {
        CheckFailed(String why) { super(why); }
    }

    static Properties load(Path p) throws Exception {
        Properties props = new Properties();
        try (InputStream in = new FileInputStream(p.toFile())) {
            props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return props;
    }

    static Map<String, String> secretsEnv(Path p) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String v = line.substring(eq + 1);
            if (v.startsWith("'")) v = v.substring(1, v.length() - 1).replace("'\\''", "'");
            out.put(line.substring(0, eq), v);
        }
        return out;
    }

    // tomlTable returns the key = "value" lines of [name] in the snippet.
    static Map<String, String> tomlTable(Path snippet, String name) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Pattern kv = Pattern.compile("^([A-Za-z0-9_]+) = \"([^\"]*)\"$");
        boolean in = false;
        for (String line : Files.readAllLines(snippet, StandardCharsets.UTF_8)) {
            if (line.startsWith("[")) { in = line.equals("[" + name + "]"); continue; }
            if (!in) continue;
            Matcher m = kv.matcher(line);
            if (m.matches()) out.put(m.group(1), m.group(2));
        }
        return out;
    }

    static String group(String pattern, String value, String what) throws CheckFailed {
        Matcher m = Pattern.compile(pattern).matcher(value);
        if (!m.matches()) throw new CheckFailed(what);
        return m.group(1);
    }

    // readKey gets the key as the product would from the snippet's value.
    static String readKey(Properties spec, String p) throws Exception {
        Path snippet = Path.of(spec.getProperty(p + "snippet"));
        Map<String, String> env = secretsEnv(Path.of(spec.getProperty(p + "secrets")));
        String var = spec.getProperty(p + "var");
        String value = tomlTable(snippet, "encryption").get("key");
        if (value == null) throw new CheckFailed("the snippet has no [encryption] key");
        switch (spec.getProperty(p + "mode")) {
            case "plain":
                if (!value.equals(env.get(var))) throw new CheckFailed("the snippet's key differs from " + var + " in secrets.env");
                return value;
            case "env":
                String name = group("\\$env\\{([A-Z0-9_]+)\\}", value, "the key is not $env{...}");
                if (!name.equals(var)) throw new CheckFailed("the key names $env{" + name + "}, not " + var);
                if (!env.containsKey(name)) throw new CheckFailed("secrets.env has no " + name);
                return env.get(name);
            case "vault":
                String alias = group("\\$secret\\{([a-z0-9_]+)\\}", value, "the key is not $secret{...}");
                String ct = tomlTable(snippet, "secrets").get(alias);
                if (ct == null) throw new CheckFailed("[secrets] has no " + alias);
                Properties sc = load(Path.of(spec.getProperty(p + "confdir")).resolve("secret-conf.properties"));
                String algorithm = sc.getProperty("secretRepositories.file.algorithm", "RSA");
                char[] pass = env.get(spec.getProperty(p + "identityvar")).toCharArray();
                KeyStore ks = KeyStore.getInstance(sc.getProperty("keystore.identity.type"));
                try (InputStream in = new FileInputStream(spec.getProperty(p + "identity"))) { ks.load(in, pass); }
                Key key = ks.getKey(sc.getProperty("keystore.identity.alias"), pass);
                Cipher c = Cipher.getInstance(algorithm);
                c.init(Cipher.DECRYPT_MODE, key);
                String plain = new String(c.doFinal(Base64.getDecoder().decode(ct)), StandardCharsets.UTF_8);
                if (!plain.equals(env.get(var))) throw new CheckFailed("the [secrets] ciphertext does not decrypt to " + var);
                return plain;
        }
        throw new CheckFailed("unknown mode " + spec.getProperty(p + "mode"));
    }

    // aesKey derives the AES key bytes as carbon-crypto-service does.
    static byte[] aesKey(String key, String form) throws CheckFailed {
        if (!key.matches("[0-9A-Fa-f]+")) throw new CheckFailed("the key is not hex");
        if (key.equalsIgnoreCase(WSO2_DEFAULT)) throw new CheckFailed("the key is WSO2's published default");
        byte[] bytes = form.equals("hex") ? HexFormat.of().parseHex(key) : key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 32) throw new CheckFailed("the " + form + " key gives " + bytes.length + " AES key bytes, want 32");
        return bytes;
    }

    static String roundTrip(byte[] keyBytes) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        byte[] plain = "user-store password: s3cret".getBytes(StandardCharsets.UTF_8);
        Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
        enc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyBytes, "AES"), new GCMParameterSpec(128, iv));
        byte[] ct = enc.doFinal(plain);
        Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
        dec.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyBytes, "AES"), new GCMParameterSpec(128, iv));
        if (!Arrays.equals(dec.doFinal(ct), plain)) throw new CheckFailed("AES/GCM round trip gave other bytes");
        byte[] other = keyBytes.clone();
        other[0] ^= 1;
        dec.init(Cipher.DECRYPT_MODE, new SecretKeySpec(other, "AES"), new GCMParameterSpec(128, iv));
        try {
            dec.doFinal(ct);
            throw new CheckFailed("another key decrypted the data");
        } catch (AEADBadTagException expected) {
        }
        return "AES-" + keyBytes.length * 8 + "/GCM round trip";
    }

    public static void main(String[] args) throws Exception {
        Properties spec = load(Path.of(args[0]));
        for (int i = 0; spec.getProperty("key." + i + ".label") != null; i++) {
            String p = "key." + i + ".";
            String label = spec.getProperty(p + "label");
            boolean negative = "fail".equals(spec.getProperty(p + "expect"));
            String form = spec.getProperty(p + "form");
            try {
                String key = readKey(spec, p);
                String done = roundTrip(aesKey(key, form));
                if (negative) { failed++; System.out.println("FAIL " + label + ": negative control passed"); }
                else { passed++; System.out.println("OK " + label + ": " + spec.getProperty(p + "mode") + " " + form + " key, " + done); }
            } catch (CheckFailed e) {
                if (negative) { passed++; System.out.println("OK " + label + ": negative control failed: " + e.getMessage()); }
                else { failed++; System.out.println("FAIL " + label + ": " + e.getMessage()); }
            } catch (Exception e) {
                failed++;
                System.out.println("FAIL " + label + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        System.out.println("keys: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 && passed > 0 ? 0 : 1);
    }
}
