package dev.tandem.hub.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.HttpConnectionFactory2;

/**
 * The HTTP connections of one push: credentials go only to the push URL's own origin, no cookies go or come.
 *
 * <p>JGit keeps the {@code Authorization} it earned at the push URL when a redirect stays on the same host, even
 * on another port or scheme (another origin), and a repository's own config can ask it to follow redirects
 * ({@code http.followRedirects}). Here an {@code Authorization} header meant for any other origin is dropped, so a
 * redirect is followed without credentials. Cookies are neither sent nor stored ({@code http.cookieFile} and
 * {@code http.saveCookies} would read and write a file anywhere). When a hub token applies to the push URL, TLS is
 * always verified, whatever {@code http.sslVerify} says.
 */
final class OriginBoundConnections implements HttpConnectionFactory2 {
    private static final Set<String> COOKIES_IN = Set.of("set-cookie", "set-cookie2");

    private final HttpConnectionFactory inner;
    private final UrlScope origin;
    private final boolean alwaysVerifyTls;

    /**
     * @param inner the factory JGit would have used
     * @param origin the push URL's origin, the only one credentials are sent to
     * @param alwaysVerifyTls whether a hub token applies, so TLS is verified even if the repository says not to
     */
    OriginBoundConnections(HttpConnectionFactory inner, UrlScope origin, boolean alwaysVerifyTls) {
        this.inner = inner;
        this.origin = origin;
        this.alwaysVerifyTls = alwaysVerifyTls;
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return new Bound(inner.create(url));
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
        return new Bound(inner.create(url, proxy));
    }

    @Override
    public GitSession newSession() {
        Optional<GitSession> session =
                inner instanceof HttpConnectionFactory2 f ? Optional.of(f.newSession()) : Optional.empty();
        return new GitSession() {
            @Override
            public HttpConnection configure(HttpConnection connection, boolean sslVerify)
                    throws GeneralSecurityException, IOException {
                if (session.isPresent() && connection instanceof Bound b) {
                    session.get().configure(b.conn, sslVerify || alwaysVerifyTls);
                }
                return connection;
            }

            @Override
            public void close() {
                session.ifPresent(GitSession::close);
            }
        };
    }

    /** One connection: forwards everything, except credentials for another origin and cookies. */
    private final class Bound implements HttpConnection {
        private final HttpConnection conn;
        private final boolean sameOrigin;

        Bound(HttpConnection conn) {
            this.conn = conn;
            this.sameOrigin = origin.sameOrigin(UrlScope.origin(conn.getURL()));
        }

        @Override
        public void setRequestProperty(String key, String value) {
            String k = key.toLowerCase(Locale.ROOT);
            if (k.equals("cookie") || (k.equals("authorization") && !sameOrigin)) {
                return;
            }
            conn.setRequestProperty(key, value);
        }

        @Override
        public Map<String, List<String>> getHeaderFields() {
            Map<String, List<String>> out = new LinkedHashMap<>();
            conn.getHeaderFields().forEach((k, v) -> {
                if (k == null || !COOKIES_IN.contains(k.toLowerCase(Locale.ROOT))) {
                    out.put(k, v);
                }
            });
            return out;
        }

        @Override
        public String getHeaderField(String name) {
            return COOKIES_IN.contains(name.toLowerCase(Locale.ROOT)) ? null : conn.getHeaderField(name);
        }

        @Override
        public List<String> getHeaderFields(String name) {
            return COOKIES_IN.contains(name.toLowerCase(Locale.ROOT)) ? List.of() : conn.getHeaderFields(name);
        }

        @Override
        public int getResponseCode() throws IOException {
            return conn.getResponseCode();
        }

        @Override
        public URL getURL() {
            return conn.getURL();
        }

        @Override
        public String getResponseMessage() throws IOException {
            return conn.getResponseMessage();
        }

        @Override
        public void setRequestMethod(String method) throws ProtocolException {
            conn.setRequestMethod(method);
        }

        @Override
        public void setUseCaches(boolean usecaches) {
            conn.setUseCaches(usecaches);
        }

        @Override
        public void setConnectTimeout(int timeout) {
            conn.setConnectTimeout(timeout);
        }

        @Override
        public void setReadTimeout(int timeout) {
            conn.setReadTimeout(timeout);
        }

        @Override
        public String getContentType() {
            return conn.getContentType();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return conn.getInputStream();
        }

        @Override
        public int getContentLength() {
            return conn.getContentLength();
        }

        @Override
        public void setInstanceFollowRedirects(boolean followRedirects) {
            // JGit follows redirects itself, through this class; the JDK must never follow one on its own
            conn.setInstanceFollowRedirects(false);
        }

        @Override
        public void setDoOutput(boolean dooutput) {
            conn.setDoOutput(dooutput);
        }

        @Override
        public void setFixedLengthStreamingMode(int contentLength) {
            conn.setFixedLengthStreamingMode(contentLength);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return conn.getOutputStream();
        }

        @Override
        public void setChunkedStreamingMode(int chunklen) {
            conn.setChunkedStreamingMode(chunklen);
        }

        @Override
        public String getRequestMethod() {
            return conn.getRequestMethod();
        }

        @Override
        public boolean usingProxy() {
            return conn.usingProxy();
        }

        @Override
        public void connect() throws IOException {
            conn.connect();
        }

        @Override
        public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws NoSuchAlgorithmException, KeyManagementException {
            if (!alwaysVerifyTls) {
                conn.configure(km, tm, random);
            }
        }

        @Override
        public void setHostnameVerifier(HostnameVerifier hostnameverifier)
                throws NoSuchAlgorithmException, KeyManagementException {
            if (!alwaysVerifyTls) {
                conn.setHostnameVerifier(hostnameverifier);
            }
        }
    }
}
