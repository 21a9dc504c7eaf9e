<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="mk_MK">
<context>
    <name>dragoman::ui::ListenerSession</name>
    <message>
        <source>Cannot reach the router: %1</source>
        <translation>Не може да се поврзе со рутерот: %1</translation>
    </message>
    <message>
        <source>Cannot tune %1: %2</source>
        <translation>Каналот %1 не може да се избере: %2</translation>
    </message>
    <message>
        <source>the router address must be http://HOST:PORT</source>
        <translation>адресата на рутерот мора да биде http://HOST:PORT</translation>
    </message>
</context>
<context>
    <name>dragoman::ui::ListenerWindow</name>
    <message>
        <source>Dragoman Listener</source>
        <translation>Dragoman – Слушател</translation>
    </message>
    <message>
        <source>Router:</source>
        <translation>Рутер:</translation>
    </message>
    <message>
        <source>http://address:port</source>
        <translation>http://адреса:порта</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Поврзи се</translation>
    </message>
    <message>
        <source>Channels (click, or press 0-9):</source>
        <translation>Канали (кликнете или притиснете 0-9):</translation>
    </message>
    <message>
        <source>Volume:</source>
        <translation>Јачина:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Јазик:</translation>
    </message>
    <message>
        <source>The router address must look like http://192.168.1.10:8480</source>
        <translation>Адресата на рутерот треба да изгледа како http://192.168.1.10:8480</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Поврзување со %1…</translation>
    </message>
    <message>
        <source>original speech</source>
        <translation>оригинален говор</translation>
    </message>
    <message>
        <source>interpreted (relay)</source>
        <translation>толкување преку реле</translation>
    </message>
    <message>
        <source>interpreted live</source>
        <translation>толкување во живо</translation>
    </message>
    <message>
        <source>carrying the floor</source>
        <translation>го пренесува оригиналот</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>Оригинал</translation>
    </message>
    <message>
        <source>tuned</source>
        <translation>избран</translation>
    </message>
    <message>
        <source>Not tuned</source>
        <translation>Нема избран канал</translation>
    </message>
    <message>
        <source>Playing %1</source>
        <translation>Слушате %1</translation>
    </message>
    <message>
        <source>Waiting for %1</source>
        <translation>Се чека %1</translation>
    </message>
    <message>
        <source>Loss %1 %  ·  concealed %2 %  ·  jitter %3 ms  ·  latency %4 ms</source>
        <translation>Загуба %1 %  ·  прикриено %2 %  ·  џитер %3 ms  ·  доцнење %4 ms</translation>
    </message>
</context>
</TS>
