// VaultCheck decrypts the [secrets] of one product directory of a wso2ks
// bundle the way WSO2's secure vault does (FileBaseSecretRepository): it
// reads secret-conf.properties for the repository's algorithm ("RSA",
// PKCS#1 v1.5, when the property is absent) and the identity store, reads
// the ciphertexts from cipher-text.properties, Base64-decodes them,
// decrypts with the identity store's private key, and compares each
// plaintext with the password secrets.env holds for that store. It also
// checks that deployment.snippet.toml's [secrets] table is the last table
// and holds the same values, and that every $secret{alias} it uses is
// defined there.
//
// Usage: java VaultCheck.java PRODUCT_DIR CONF_DIR SECRETS_ENV VAR [TOML]
// run with PRODUCT_DIR (a bundle's product directory, or a home) as the
// working directory, as WSO2's start scripts cd to CARBON_HOME. The
// identity store is the file keystore.identity.location names, opened as
// the secure vault opens it: new File(location), relative to the working
// directory (wso2/carbon-secvault 1.x AbstractKeyStoreLoader.java l.59);
// the location must be relative and land inside PRODUCT_DIR, so the home
// can move. VAR is the secrets.env variable of the store's password (what
// password-tmp gives the server), and TOML the file with the [secrets]
// table, relative to PRODUCT_DIR (deployment.snippet.toml by default; an
// installed home's deployment.toml). Prints OK/FAIL lines and
// "vault: N passed, M failed"; exits 1 on failure.
//
// ASCII only: the JDK compiles this file in the locale's charset.

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;

public class VaultCheck {
    static int passed, failed;

    static void ok(String what) { passed++; System.out.println("OK " + what); }
    static void fail(String what, String why) { failed++; System.out.println("FAIL " + what + ": " + why); }

    static Properties load(Path p) throws Exception {
        Properties props = new Properties();
        try (InputStream in = new FileInputStream(p.toFile())) {
            props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return props;
    }

    // secretsEnv reads NAME=value lines, values bare or single-quoted.
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

    public static void main(String[] args) throws Exception {
        Path product = Path.of(args[0]);
        Path conf = product.resolve(args[1]);
        Map<String, String> env = secretsEnv(Path.of(args[2]));

        Properties sc = load(conf.resolve("secret-conf.properties"));
        String algorithm = sc.getProperty("secretRepositories.file.algorithm", "RSA");
        String location = sc.getProperty("secretRepositories.file.location");
        String alias = sc.getProperty("keystore.identity.alias");
        String type = sc.getProperty("keystore.identity.type");
        if (!"true".equals(sc.getProperty("secVault.enabled"))) fail("secret-conf", "secVault.enabled is not true");
        String identityLocation = sc.getProperty("keystore.identity.location");
        if (identityLocation == null) { fail("identity store", "secret-conf.properties has no keystore.identity.location"); finish(); }
        File identity = new File(identityLocation);
        Path home = product.toAbsolutePath().normalize();
        if (identity.isAbsolute()) {
            fail("identity store", "keystore.identity.location " + identityLocation + " is absolute: the home cannot move");
        } else if (!identity.getAbsoluteFile().toPath().normalize().startsWith(home)) {
            fail("identity store", "keystore.identity.location " + identityLocation + " is not inside " + home + " from the working directory " + System.getProperty("user.dir"));
        } else {
            ok("identity store " + identityLocation + " is in the product home");
        }
        String storeVar = args[3];
        if (!env.containsKey(storeVar)) { fail("identity store", "secrets.env has no " + storeVar); finish(); }
        char[] storePass = env.get(storeVar).toCharArray();
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = new FileInputStream(identity)) { ks.load(in, storePass); }
        Key key = ks.getKey(alias, storePass);
        if (key == null) { fail("identity store", "no key " + alias); finish(); }
        ok("identity store " + type + " alias " + alias + " algorithm " + algorithm);

        Properties cipherText = load(product.resolve(location));
        Map<String, String> tomlSecrets = snippetSecrets(product.resolve(args.length > 4 ? args[4] : "deployment.snippet.toml"));
        if (!cipherText.stringPropertyNames().equals(tomlSecrets.keySet())) {
            fail("cipher-text.properties", "aliases " + cipherText.stringPropertyNames() + " differ from [secrets] " + tomlSecrets.keySet());
        }
        for (String secret : tomlSecrets.keySet()) {
            String ct = cipherText.getProperty(secret);
            if (!tomlSecrets.get(secret).equals(ct)) { fail(secret, "cipher-text.properties and [secrets] differ"); continue; }
            String want = env.get("WSO2KS_" + secret.toUpperCase());
            if (want == null) { fail(secret, "no secrets.env variable for it"); continue; }
            try {
                Cipher c = Cipher.getInstance(algorithm);
                c.init(Cipher.DECRYPT_MODE, key);
                String got = new String(c.doFinal(Base64.getDecoder().decode(ct)), StandardCharsets.UTF_8);
                if (got.equals(want)) ok("decrypt " + secret);
                else fail("decrypt " + secret, "plaintext differs from secrets.env");
            } catch (Exception e) {
                fail("decrypt " + secret, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        finish();
    }

    // snippetSecrets reads the [secrets] table, checking it is the last
    // table and that every $secret{} in the snippet is defined there.
    static Map<String, String> snippetSecrets(Path snippet) throws Exception {
        List<String> lines = Files.readAllLines(snippet, StandardCharsets.UTF_8);
        Map<String, String> out = new LinkedHashMap<>();
        List<String> used = new ArrayList<>();
        Pattern ref = Pattern.compile("\\$secret\\{([A-Za-z0-9_]+)\\}");
        Pattern kv = Pattern.compile("^([A-Za-z0-9_]+) = \"([A-Za-z0-9+/=]+)\"$");
        boolean inSecrets = false;
        for (String line : lines) {
            if (line.startsWith("[")) {
                if (inSecrets) fail("snippet", "table " + line + " follows [secrets]; the cipher tool would rewrite it");
                inSecrets = line.equals("[secrets]");
                continue;
            }
            if (inSecrets) {
                Matcher m = kv.matcher(line);
                if (m.matches()) out.put(m.group(1), m.group(2));
                else if (!line.isBlank() && !line.startsWith("#")) fail("snippet", "unexpected [secrets] line");
            } else {
                Matcher m = ref.matcher(line);
                while (m.find()) used.add(m.group(1));
            }
        }
        if (out.isEmpty()) fail("snippet", "no [secrets] table");
        for (String u : used) if (!out.containsKey(u)) fail("snippet", "$secret{" + u + "} is not in [secrets]");
        if (used.isEmpty()) fail("snippet", "no $secret{} reference");
        else ok("snippet uses " + used.size() + " $secret{} references, all defined");
        return out;
    }

    static void finish() {
        System.out.println("vault: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
