package io.p2sgw.portal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver. Both paths are set explicitly so
 * Selenium Manager never resolves (or downloads) a driver or browser; the profile is fresh per run.
 * The server's self-signed certificate is trusted by its key alone, not by ignoring all TLS errors.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Upper bound for any single wait; steps finish in well under a second on a quiet machine. */
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Dimension WIDE = new Dimension(1280, 800);
    /** A phone-sized window (issue 5: "usable ... on a narrow window"). */
    static final Dimension NARROW = new Dimension(400, 800);
    /** How Chromium words a Content-Security-Policy refusal in the console. */
    static final String CSP_REFUSAL = "Content Security Policy";

    final ChromeDriver driver;
    final Path downloads;
    /** Every console message seen so far (the driver hands each one out only once). */
    private final List<String> console = new java.util.ArrayList<>();
    private final Path profile;
    private final Path screenshots;

    /** Why the browser cannot run here, or empty when it can. */
    static java.util.Optional<String> unavailable() {
        if (!Files.isExecutable(CHROMIUM)) {
            return java.util.Optional.of(CHROMIUM + " is missing: install the Debian packages chromium and chromium-driver");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            return java.util.Optional.of(CHROMEDRIVER + " is missing: install the Debian package chromium-driver");
        }
        return java.util.Optional.empty();
    }

    /**
     * @param trustedServer the server's certificate: Chromium accepts this one key and no other
     *     untrusted certificate ({@code --ignore-certificate-errors-spki-list}, honoured with a
     *     custom --user-data-dir), so the portal runs over the server's real TLS endpoint.
     */
    Browser(Path workDir, Path screenshots, X509Certificate trustedServer) throws IOException, GeneralSecurityException {
        this.profile = Files.createDirectories(workDir.resolve("chromium-profile"));
        this.downloads = Files.createDirectories(workDir.resolve("downloads"));
        this.screenshots = Files.createDirectories(screenshots);
        // Screenshots of an earlier run would mix with this run's (names are numbered per run).
        try (var old = Files.newDirectoryStream(screenshots, "*.png")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--ignore-certificate-errors-spki-list=" + spkiSha256(trustedServer), "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,800", "--lang=en-US");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("safebrowsing.enabled", false);
        options.setExperimentalOption("prefs", prefs);
        // The console is where Chromium reports CSP refusals; the test reads it back.
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        // Headless Chromium ignores the download preference unless told through DevTools as well.
        driver.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        resize(WIDE);
    }

    /** Base-64 SHA-256 of the certificate's SubjectPublicKeyInfo, the form Chromium's SPKI list takes. */
    static String spkiSha256(X509Certificate c) throws GeneralSecurityException {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded()));
    }

    /** Makes the viewport (what the page lays out in) {@code size}; the window adds its own frame. */
    void resize(Dimension size) {
        driver.manage().window().setSize(size);
        long w = ((Number) js("return window.innerWidth;")).longValue();
        long h = ((Number) js("return window.innerHeight;")).longValue();
        if (w != size.width || h != size.height) {
            driver.manage().window().setSize(new Dimension(
                    (int) (2L * size.width - w), (int) (2L * size.height - h)));
        }
    }

    /** The viewport (not the window) size, which is what the layout sees. */
    long viewportWidth() {
        return ((Number) js("return window.innerWidth;")).longValue();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T until(Function<WebDriver, T> condition, String what) {
        // The portal re-renders lists after each change, so an element found a moment ago may be gone.
        return new WebDriverWait(driver, WAIT).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    WebElement visible(By by) {
        return until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
        }, "visible " + by);
    }

    WebElement byId(String id) {
        return visible(By.id(id));
    }

    /** Waits until the element's text contains {@code text}; returns the text. */
    String textContains(By by, String text) {
        return until(d -> {
            List<WebElement> found = d.findElements(by);
            for (WebElement e : found) {
                String t = e.getText();
                if (t.contains(text)) {
                    return t;
                }
            }
            return null;
        }, by + " to contain \"" + text + "\"");
    }

    void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    /** Sets a field's value at once and fires "input", as a paste does (sendKeys types key by key). */
    void paste(WebElement field, String text) {
        js("arguments[0].focus(); arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", field, text);
    }

    void go(String url) {
        driver.get(url);
    }

    Path screenshot(String name) throws IOException {
        Path target = screenshots.resolve(name + ".png");
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(shot);
        consoleMessages(); // collect as we go so nothing is lost to the driver's buffer
        return target;
    }

    /** All console messages since the browser started. */
    synchronized List<String> consoleMessages() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(e.getLevel() + " " + e.getMessage());
        }
        return List.copyOf(console);
    }

    /** Console messages about Content-Security-Policy refusals. */
    List<String> cspRefusals() {
        return consoleMessages().stream().filter(m -> m.contains(CSP_REFUSAL)).toList();
    }

    /** True when the page is no wider than the viewport (no sideways scrolling on a narrow window). */
    boolean fitsViewport() {
        return (Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth + 1;");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
