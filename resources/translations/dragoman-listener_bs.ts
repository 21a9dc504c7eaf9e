<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="bs_BA">
<context>
    <name>dragoman::ui::ListenerSession</name>
    <message>
        <source>Cannot reach the router: %1</source>
        <translation>Ruter nije dostupan: %1</translation>
    </message>
    <message>
        <source>Cannot tune %1: %2</source>
        <translation>Kanal %1 nije moguće odabrati: %2</translation>
    </message>
    <message>
        <source>the router address must be http://HOST:PORT</source>
        <translation>adresa rutera mora biti http://HOST:PORT</translation>
    </message>
</context>
<context>
    <name>dragoman::ui::ListenerWindow</name>
    <message>
        <source>Dragoman Listener</source>
        <translation>Dragoman – Slušalac</translation>
    </message>
    <message>
        <source>Router:</source>
        <translation>Ruter:</translation>
    </message>
    <message>
        <source>http://address:port</source>
        <translation>http://adresa:port</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Poveži se</translation>
    </message>
    <message>
        <source>Channels (click, or press 0-9):</source>
        <translation>Kanali (kliknite ili pritisnite 0-9):</translation>
    </message>
    <message>
        <source>Volume:</source>
        <translation>Jačina zvuka:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Jezik:</translation>
    </message>
    <message>
        <source>The router address must look like http://192.168.1.10:8480</source>
        <translation>Adresa rutera treba izgledati kao http://192.168.1.10:8480</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Povezivanje sa %1…</translation>
    </message>
    <message>
        <source>original speech</source>
        <translation>originalni govor</translation>
    </message>
    <message>
        <source>interpreted (relay)</source>
        <translation>prevođenje preko releja</translation>
    </message>
    <message>
        <source>interpreted live</source>
        <translation>prevođenje uživo</translation>
    </message>
    <message>
        <source>carrying the floor</source>
        <translation>prenosi original</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>tuned</source>
        <translation>odabran</translation>
    </message>
    <message>
        <source>Not tuned</source>
        <translation>Nijedan kanal nije odabran</translation>
    </message>
    <message>
        <source>Playing %1</source>
        <translation>Slušate %1</translation>
    </message>
    <message>
        <source>Waiting for %1</source>
        <translation>Čeka se %1</translation>
    </message>
    <message>
        <source>Loss %1 %  ·  concealed %2 %  ·  jitter %3 ms  ·  latency %4 ms</source>
        <translation>Gubitak %1 %  ·  prikriveno %2 %  ·  džiter %3 ms  ·  kašnjenje %4 ms</translation>
    </message>
</context>
</TS>
