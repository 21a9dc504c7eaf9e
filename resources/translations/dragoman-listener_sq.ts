<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sq_AL">
<context>
    <name>dragoman::ui::ListenerSession</name>
    <message>
        <source>Cannot reach the router: %1</source>
        <translation>Nuk mund të lidhem me ruterin: %1</translation>
    </message>
    <message>
        <source>Cannot tune %1: %2</source>
        <translation>Kanali %1 nuk mund të zgjidhet: %2</translation>
    </message>
    <message>
        <source>the router address must be http://HOST:PORT</source>
        <translation>adresa e ruterit duhet të jetë http://HOST:PORT</translation>
    </message>
</context>
<context>
    <name>dragoman::ui::ListenerWindow</name>
    <message>
        <source>Dragoman Listener</source>
        <translation>Dragoman – Dëgjuesi</translation>
    </message>
    <message>
        <source>Router:</source>
        <translation>Ruteri:</translation>
    </message>
    <message>
        <source>http://address:port</source>
        <translation>http://adresa:porta</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Lidhu</translation>
    </message>
    <message>
        <source>Channels (click, or press 0-9):</source>
        <translation>Kanalet (kliko, ose shtyp 0-9):</translation>
    </message>
    <message>
        <source>Volume:</source>
        <translation>Volumi:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Gjuha:</translation>
    </message>
    <message>
        <source>The router address must look like http://192.168.1.10:8480</source>
        <translation>Adresa e ruterit duhet të duket si http://192.168.1.10:8480</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Po lidhem me %1…</translation>
    </message>
    <message>
        <source>original speech</source>
        <translation>fjalimi origjinal</translation>
    </message>
    <message>
        <source>interpreted (relay)</source>
        <translation>përkthim nga releja</translation>
    </message>
    <message>
        <source>interpreted live</source>
        <translation>përkthim i drejtpërdrejtë</translation>
    </message>
    <message>
        <source>carrying the floor</source>
        <translation>transmeton origjinalin</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>Origjinali</translation>
    </message>
    <message>
        <source>tuned</source>
        <translation>në dëgjim</translation>
    </message>
    <message>
        <source>Not tuned</source>
        <translation>Asnjë kanal i zgjedhur</translation>
    </message>
    <message>
        <source>Playing %1</source>
        <translation>Po dëgjoni %1</translation>
    </message>
    <message>
        <source>Waiting for %1</source>
        <translation>Në pritje të %1</translation>
    </message>
    <message>
        <source>Loss %1 %  ·  concealed %2 %  ·  jitter %3 ms  ·  latency %4 ms</source>
        <translation>Humbje %1 %  ·  të mbuluara %2 %  ·  luhatje %3 ms  ·  vonesë %4 ms</translation>
    </message>
</context>
</TS>
