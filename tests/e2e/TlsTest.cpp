// TLS end to end: the real `dragoman --headless` with its listeners' port and a control port on
// every interface (reached through 127.0.0.1), driven by curl and read back with
// openssl s_client. One certificate on both ports, whose SHA-256 fingerprint the banner and
// /api/state show; HTTPS beside plain HTTP on the listeners' port; only HTTPS on a control
// port beyond loopback; the self-signed certificate kept and reused across runs; the venue's
// own certificate served, and a damaged one refused with the file and key named.
#include "e2e/DragomanProcess.h"
#include "support/ChildProcess.h"
#include "support/Http.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <sys/stat.h>

using namespace dragoman::test;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A data folder of this test's own (the self-signed certificate is kept under it), removed at
// the end.
struct DataHome {
    explicit DataHome(const std::string& name)
        : path(fs::path(DRAGOMAN_BINARY_DIR) / "tests/e2e/tls" /
               (name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
        ::setenv("XDG_DATA_HOME", path.c_str(), 1);
    }
    ~DataHome() {
        ::unsetenv("XDG_DATA_HOME");
        fs::remove_all(path);
    }
    fs::path certificate() const { return path / "Dragoman/dragoman/tls/certificate.pem"; }
    fs::path key() const { return path / "Dragoman/dragoman/tls/key.pem"; }
    fs::path path;
};

// curl over https trusting `ca` alone: {status, body}; --http1.0 with `http10`.
HttpReply https(const std::string& url, const fs::path& ca, const std::string& token = "",
                bool http10 = false) {
    std::string command = "curl -s -m 5 -o - -w '\\n%{http_code}' --cacert " +
                          shellQuote(ca.string()) + (http10 ? " --http1.0" : "");
    if (!token.empty())
        command += " -H " + shellQuote("Authorization: Bearer " + token);
    return curlReply(command + " " + shellQuote(url) + " 2>/dev/null");
}

// The SHA-256 fingerprint of the certificate a port presents, as openssl reads it off the
// handshake: "AB:12:...".
std::string servedFingerprint(int port) {
    const std::string out =
        capture("openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                " </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null");
    const auto equals = out.find('=');
    return equals == std::string::npos ? "" : out.substr(equals + 1, 95);
}

std::string bannerFingerprint(const std::string& output) {
    std::smatch match;
    return std::regex_search(output, match, std::regex("TLS fingerprint: SHA-256 ([0-9A-F:]{95})"))
               ? match[1].str()
               : "";
}

// Waits until the control port answers over https (trusting `ca`).
json waitState(int port, const fs::path& ca, ChildProcess& process) {
    for (int i = 0; i < 200 && process.running(); ++i) {
        if (fs::exists(ca)) {
            const auto reply =
                https("https://127.0.0.1:" + std::to_string(port) + "/api/state", ca, kToken);
            if (reply.status == 200)
                return json::parse(reply.body);
        }
        std::this_thread::sleep_for(50ms);
    }
    return {};
}

// The Tirana venue with `tls` added, written beside the certificate files.
fs::path venueWithTls(const fs::path& folder, const json& tls) {
    std::ifstream in(tirana());
    json venue = json::parse(in);
    venue["tls"] = tls;
    const auto file = folder / "venue.json";
    std::ofstream(file) << venue.dump(2);
    return file;
}

} // namespace

TEST_CASE("One certificate on both ports: https and plain http to listeners, https only to a "
          "control port beyond loopback") {
    DataHome home("both");
    TokenEnvironment token;
    const int control = freeLoopbackPort();
    const int listen = freeLoopbackPortPair();
    Dragoman dragoman({"--audio", "virtual", "--http", "0.0.0.0:" + std::to_string(control),
                       "--listen", "127.0.0.1:" + std::to_string(listen)});
    const auto state = waitState(control, home.certificate(), dragoman.process());
    INFO(dragoman.output());
    REQUIRE_FALSE(state.is_null());

    // The fingerprint: banner, /api/state and what each port serves agree.
    const std::string fingerprint = bannerFingerprint(dragoman.output());
    REQUIRE(fingerprint.size() == 95);
    CHECK(state["tls"]["fingerprintSha256"] == fingerprint);
    CHECK(state["tls"]["source"] == "self-signed");
    CHECK(state["tls"]["control"] == true);
    CHECK(state["tls"]["listeners"] == true);
    CHECK(servedFingerprint(control) == fingerprint);
    CHECK(servedFingerprint(listen) == fingerprint);
    CHECK_THAT(dragoman.output(), Contains("control API: https://0.0.0.0:"));

    const std::string listeners = "127.0.0.1:" + std::to_string(listen);
    const auto list = https("https://" + listeners + "/channels.json", home.certificate());
    REQUIRE(list.status == 200);
    CHECK(json::parse(list.body)["channels"].size() == 5);
    const auto old = https("https://" + listeners + "/channels.json", home.certificate(), "", true);
    CHECK(old.status == 200);
    CHECK(json::parse(old.body)["channels"].size() == 5);
    const auto page = https("https://" + listeners + "/", home.certificate());
    CHECK(page.status == 200);
    CHECK_THAT(page.body, Contains("/channels.json"));
    // The signalling's paths answer over https too (no WebRTC here: its own 404).
    const auto watch = https("https://" + listeners + "/webrtc/events?id=1", home.certificate());
    CHECK(watch.status == 404);
    CHECK_THAT(watch.body, Contains("no WebRTC here"));
    // Plain HTTP keeps working on the same port.
    const auto plain = http("GET", "http://" + listeners + "/channels.json");
    CHECK(plain.status == 200);
    // The live Ogg stream (the page's fallback) over https and http on the next port.
    const std::string streams = "127.0.0.1:" + std::to_string(listen + 1) + "/stream/en.opus";
    const auto ogg = [&](const std::string& url) {
        return capture("curl -s -m 2 --cacert " + shellQuote(home.certificate().string()) + " " +
                       url + " 2>/dev/null | head -c 4");
    };
    CHECK(ogg("https://" + streams) == "OggS");
    CHECK(ogg("http://" + streams) == "OggS");
    CHECK(servedFingerprint(listen + 1) == fingerprint);

    // The control port: plain HTTP refused with a pointer to https; the token works over TLS.
    const std::string api = "127.0.0.1:" + std::to_string(control) + "/api";
    const auto clear = http("GET", "http://" + api + "/state");
    CHECK(clear.status == 400);
    CHECK_THAT(clear.body, Contains("HTTPS only"));
    CHECK(http("POST", "http://" + api + "/desks/en/1", R"({"mic":true})", kToken).status == 400);
    const auto write =
        capture("curl -s -m 5 -o /dev/null -w '%{http_code}' --cacert " +
                shellQuote(home.certificate().string()) + " -H 'Authorization: Bearer " + kToken +
                "' --data-binary '{\"mic\":true}' https://" + api + "/desks/en/1");
    CHECK(write == "200");
    CHECK(https("https://" + api + "/state", home.certificate(), kToken, true).status == 200);
    const auto desk =
        json::parse(https("https://" + api + "/desk-tokens/en.1", home.certificate(), kToken).body);
    CHECK(desk["page"].get<std::string>().rfind("/desk/en.1#token=", 0) == 0);
}

TEST_CASE("The self-signed certificate is kept, private, and reused by the next run") {
    DataHome home("kept");
    const int listen = freeLoopbackPortPair();
    std::string first;
    {
        Dragoman dragoman(
            {"--audio", "virtual", "--listen", "127.0.0.1:" + std::to_string(listen)});
        dragoman.waitFor([](const json& s) { return s.contains("tls"); }, 10s);
        INFO(dragoman.output());
        first = bannerFingerprint(dragoman.output());
        REQUIRE(first.size() == 95);
        CHECK_THAT(dragoman.output(), Contains("self-signed certificate made now"));
        CHECK(dragoman.state()["tls"]["control"] == false); // loopback: plain by default
        CHECK(servedFingerprint(listen) == first);
    }
    struct stat st {};
    REQUIRE(::stat(home.key().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    Dragoman again({"--audio", "virtual", "--listen", "127.0.0.1:" + std::to_string(listen)});
    again.waitFor([](const json& s) { return s.contains("tls"); }, 10s);
    INFO(again.output());
    CHECK(bannerFingerprint(again.output()) == first);
    CHECK_THAT(again.output(), Contains("self-signed certificate kept in"));
    CHECK(servedFingerprint(listen) == first);
}

TEST_CASE("The venue's own certificate is served, and a damaged one stops the start, naming it") {
    DataHome home("venue");
    const fs::path folder = home.path / "venue";
    fs::create_directories(folder);
    const std::string made =
        capture("openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=interpretation.test "
                "-addext subjectAltName=IP:127.0.0.1 -keyout " +
                (folder / "venue.key").string() + " -out " + (folder / "venue.crt").string() +
                " 2>&1 && echo made");
    REQUIRE_THAT(made, Contains("made"));
    const std::string expected =
        capture("openssl x509 -noout -fingerprint -sha256 -in " + (folder / "venue.crt").string());
    const auto venue = venueWithTls(folder, {{"certificate", "venue.crt"}, {"key", "venue.key"}});
    const int listen = freeLoopbackPortPair();
    {
        Dragoman dragoman({"--audio", "virtual", "--venue", venue.string(), "--listen",
                           "127.0.0.1:" + std::to_string(listen)});
        dragoman.waitFor([](const json& s) { return s.contains("tls"); }, 10s);
        INFO(dragoman.output());
        const auto state = dragoman.state();
        CHECK(state["tls"]["source"] == "venue");
        CHECK(expected.find(state["tls"]["fingerprintSha256"].get<std::string>()) !=
              std::string::npos);
        CHECK(servedFingerprint(listen) == state["tls"]["fingerprintSha256"]);
        CHECK(https("https://127.0.0.1:" + std::to_string(listen) + "/channels.json",
                    folder / "venue.crt")
                  .status == 200);
        CHECK_FALSE(fs::exists(home.certificate())); // no self-signed one made
    }

    std::ofstream(folder / "damaged.crt") << "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJ\n";
    const auto damaged =
        venueWithTls(folder, {{"certificate", "damaged.crt"}, {"key", "venue.key"}});
    Dragoman refused({"--audio", "virtual", "--venue", damaged.string()});
    for (int i = 0; i < 200 && refused.process().running(); ++i)
        std::this_thread::sleep_for(50ms);
    INFO(refused.output());
    REQUIRE_FALSE(refused.process().running());
    CHECK(WEXITSTATUS(refused.process().stop()) == 2);
    CHECK_THAT(refused.output(), Contains(damaged.string() + ": $.tls.certificate: "));
    CHECK_THAT(refused.output(), Contains("damaged.crt holds no PEM certificate"));
}
