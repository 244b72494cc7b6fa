<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>itap::AlarmController</name>
    <message>
        <location filename="../ui/alarm_controller.cpp" line="+123"/>
        <source>No database is open.</source>
        <translation>Keine Datenbank ist geöffnet.</translation>
    </message>
</context>
<context>
    <name>itap::AlarmKpiPanel</name>
    <message>
        <location filename="../ui/alarm_kpi_panel.cpp" line="+53"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export alarm journal…</source>
        <translation>Alarmjournal exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the whole alarm journal and the threshold changes as CSV and JSON.</source>
        <translation>Das ganze Alarmjournal und die Schwellenänderungen als CSV und JSON schreiben.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+54"/>
        <source>Annunciated</source>
        <translation>Gemeldet</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Per 10 min (avg)</source>
        <translation>Je 10 min (Mittel)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak per 10 min</source>
        <translation>Spitze je 10 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time in flood</source>
        <translation>Zeit in Alarmflut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chattering</source>
        <translation>Flatternd</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Standing</source>
        <translation>Stehend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed</source>
        <translation>Unterdrückt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>Zurückgestellt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alarms that demanded a response (a fleet incident counts once), at the operating threshold.</source>
        <translation>Alarme, die eine Reaktion verlangten (ein Flottenvorfall zählt einmal), an der Betriebsschwelle.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>EEMUA 191: about 1 per 10 minutes is manageable.</source>
        <translation>EEMUA 191: etwa 1 je 10 Minuten ist beherrschbar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The busiest 10 minutes.</source>
        <translation>Die meistbelasteten 10 Minuten.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share of 10-minute periods with more than %1 annunciations (EEMUA 191 flood).</source>
        <translation>Anteil der 10-Minuten-Perioden mit mehr als %1 Meldungen (Alarmflut nach EEMUA 191).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annunciations within 10 minutes of the same device&apos;s previous clear.</source>
        <translation>Meldungen innerhalb von 10 Minuten nach dem letzten Ende eines Alarms desselben Geräts.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annunciated alarms still active at the end of the data (in brackets: for more than 24 h).</source>
        <translation>Gemeldete Alarme, die am Ende der Daten noch aktiv sind (in Klammern: seit mehr als 24 h).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarms suppressed by design (maintenance, state transitions): recorded, never annunciated.</source>
        <translation>Planmäßig unterdrückte Alarme (Wartung, Zustandswechsel): aufgezeichnet, nie gemeldet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarms an operator shelved, from the alarm journal.</source>
        <translation>Alarme, die ein Bediener zurückgestellt hat, laut Alarmjournal.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incidents recorded as events: listed, never annunciated.</source>
        <translation>Als Ereignisse aufgezeichnete Vorfälle: gelistet, nie gemeldet.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Annunciated alarms per 10 minutes (UTC) against the EEMUA 191 lines</source>
        <translation>Gemeldete Alarme je 10 Minuten (UTC) mit den Linien nach EEMUA 191</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alarms per 10 min</source>
        <translation>Alarme je 10 min</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>1 per 10 min: manageable</source>
        <translation>1 je 10 min: beherrschbar</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 per 10 min: flood above</source>
        <translation>%1 je 10 min: darüber Alarmflut</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+13"/>
        <source>Alarms</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="-13"/>
        <location line="+13"/>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>EEMUA 191 guide</source>
        <translation>Richtwert EEMUA 191</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>≈ %1 %</source>
        <translation>≈ %1 %</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Top contributor (device · cause)</source>
        <translation>Verursacher (Gerät · Ursache)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&lt;b&gt;Priority distribution&lt;/b&gt;</source>
        <translation>&lt;b&gt;Prioritätsverteilung&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Top 10 contributors&lt;/b&gt;</source>
        <translation>&lt;b&gt;Die 10 häufigsten Verursacher&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No fleet analysed yet.</source>
        <translation>Noch keine Flotte analysiert.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>At the operating threshold &lt;b&gt;%1&lt;/b&gt; · %2 incidents over %3 to %4 UTC (%5 periods of 10 minutes) · EEMUA 191 / ISA-18.2 TR18.2.5</source>
        <translation>An der Betriebsschwelle &lt;b&gt;%1&lt;/b&gt; · %2 Vorfälle von %3 bis %4 UTC (%5 Perioden zu 10 Minuten) · EEMUA 191 / ISA-18.2 TR18.2.5</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Alarms an operator shelved, of %1 alarms in the journal.</source>
        <translation>Alarme, die ein Bediener zurückgestellt hat, von %1 Alarmen im Journal.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The alarm journal could not be read: %1</source>
        <translation>Das Alarmjournal konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>The top %1 carry %2 of the annunciations.</source>
        <translation>Die ersten %1 verursachen %2 der Meldungen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing was annunciated.</source>
        <translation>Nichts wurde gemeldet.</translation>
    </message>
</context>
<context>
    <name>itap::AlertListModel</name>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="+122"/>
        <location line="+51"/>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Suppressed (maintenance)</source>
        <translation>Unterdrückt (Wartung)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suppressed (state change)</source>
        <translation>Unterdrückt (Zustandswechsel)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Fleet · active</source>
        <translation>Flotte · aktiv</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fleet · cleared</source>
        <translation>Flotte · beendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm · active</source>
        <translation>Alarm · aktiv</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm · cleared</source>
        <translation>Alarm · beendet</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Active, unacknowledged</source>
        <translation>Aktiv, unquittiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Active, acknowledged</source>
        <translation>Aktiv, quittiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cleared, unacknowledged</source>
        <translation>Gegangen, unquittiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shelved until %1</source>
        <translation>Zurückgestellt bis %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Suppressed</source>
        <translation>Unterdrückt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Confirmed fault</source>
        <translation>Bestätigter Fehler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confirmed fault (%1)</source>
        <translation>Bestätigter Fehler (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>False alarm</source>
        <translation>Fehlalarm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>%1 on %2 (%3)
from %4 to %5, raised %6, %7
peak %8 (score %9)
%10</source>
        <translation>%1 an %2 (%3)
von %4 bis %5, ausgelöst %6, %7
Höchstwert %8 (Score %9)
%10</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>still active</source>
        <translation>noch aktiv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cleared %1</source>
        <translation>beendet %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No suggested action.</source>
        <translation>Keine empfohlene Maßnahme.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 rows, %2 of them flagged by the score</source>
        <translation>%1 Zeilen, davon %2 vom Score markiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alarm %1: %2</source>
        <translation>Alarm %1: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not in the alarm journal: %1</source>
        <translation>Nicht im Alarmjournal: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Instrument: %1 sent no data from %2 to %3</source>
        <translation>Messgerät: %1 lieferte keine Daten von %2 bis %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Instrument: %1 repeated one value from %2 to %3</source>
        <translation>Messgerät: %1 wiederholte einen Wert von %2 bis %3</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verdict</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start (UTC)</source>
        <translation>Beginn (UTC)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cause</source>
        <translation>Ursache</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Confidence</source>
        <translation>Konfidenz</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Peak score</source>
        <translation>Höchster Score</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Flagged</source>
        <translation>Markiert</translation>
    </message>
</context>
<context>
    <name>itap::AlertsPanel</name>
    <message>
        <location filename="../ui/alerts_panel.cpp" line="+103"/>
        <source>All severities</source>
        <translation>Alle Schweregrade</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning and above</source>
        <translation>Ab Warnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical only</source>
        <translation>Nur kritisch</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Search alerts…</source>
        <translation>Alarme durchsuchen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Include events and suppressed</source>
        <translation>Ereignisse und unterdrückte einbeziehen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Events (no confident cause, small margin) and alarms suppressed by design are recorded but not annunciated; tick to list them too.</source>
        <translation>Ereignisse (keine sichere Ursache, geringer Abstand) und planmäßig unterdrückte Alarme werden aufgezeichnet, aber nicht gemeldet; ankreuzen, um sie mit aufzulisten.</translation>
    </message>
    <message>
        <location line="+60"/>
        <location line="+142"/>
        <source>Shelve</source>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <location line="-134"/>
        <location line="+151"/>
        <source>Verdict</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>When (UTC)</source>
        <translation>Wann (UTC)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&lt;b&gt;History&lt;/b&gt; (alarm journal, oldest first)</source>
        <translation>&lt;b&gt;Verlauf&lt;/b&gt; (Alarmjournal, älteste zuerst)</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Acknowledge</source>
        <translation>Quittieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledge the selected alarms (Space)</source>
        <translation>Die ausgewählten Alarme quittieren (Leertaste)</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>For %n hour(s)…</source>
        <translation>
            <numerusform>Für %n Stunde…</numerusform>
            <numerusform>Für %n Stunden…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Until…</source>
        <translation>Bis…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unshelve</source>
        <translation>Zurückstellung aufheben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End the shelf of the selected alarms now</source>
        <translation>Die Zurückstellung der ausgewählten Alarme jetzt beenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add note…</source>
        <translation>Notiz hinzufügen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write a note in the selected alarms&apos; journal</source>
        <translation>Eine Notiz in das Journal der ausgewählten Alarme schreiben</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Confirmed fault…</source>
        <translation>Bestätigter Fehler…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>False alarm</source>
        <translation>Fehlalarm</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show on device</source>
        <translation>Am Gerät zeigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the device view at the selected incident</source>
        <translation>Die Geräteansicht beim ausgewählten Vorfall öffnen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re-read the alarm journal (F5); other consoles&apos; actions also arrive by themselves</source>
        <translation>Das Alarmjournal neu lesen (F5); Aktionen anderer Konsolen kommen auch von selbst an</translation>
    </message>
    <message numerus="yes">
        <location line="+51"/>
        <source>Acknowledging %n alarm(s)…</source>
        <translation>
            <numerusform>Quittiere %n Alarm…</numerusform>
            <numerusform>Quittiere %n Alarme…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>Shelving %n alarm(s)…</source>
        <translation>
            <numerusform>Stelle %n Alarm zurück…</numerusform>
            <numerusform>Stelle %n Alarme zurück…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Unshelving %n alarm(s)…</source>
        <translation>
            <numerusform>Hebe die Zurückstellung von %n Alarm auf…</numerusform>
            <numerusform>Hebe die Zurückstellung von %n Alarmen auf…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>Adding a note to %n alarm(s)…</source>
        <translation>
            <numerusform>Füge %n Alarm eine Notiz hinzu…</numerusform>
            <numerusform>Füge %n Alarmen eine Notiz hinzu…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>Recording the verdict of %n alarm(s)…</source>
        <translation>
            <numerusform>Speichere die Bewertung von %n Alarm…</numerusform>
            <numerusform>Speichere die Bewertung von %n Alarmen…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note for the alarm journal:</source>
        <translation>Notiz für das Alarmjournal:</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Confirmed fault</source>
        <translation>Bestätigter Fehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fault type: a sensor family of the catalog, or your own words:</source>
        <translation>Fehlerart: eine Sensorfamilie des Katalogs oder eigene Worte:</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Not done: %1</source>
        <translation>Nicht ausgeführt: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm action failed</source>
        <translation>Alarmaktion fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing was changed.

%1</source>
        <translation>Nichts wurde geändert.

%1</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Alarms are never deleted: acknowledge or shelve them instead.</source>
        <translation>Alarme werden nie gelöscht: Quittieren oder zurückstellen Sie sie stattdessen.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>&lt;b&gt;%1 annunciated&lt;/b&gt; of %2 incidents (%3 events, %4 suppressed, %5 fleet incidents) · per 10 min: average %6, peak %7, flood periods %8 · chattering %9 · standing %10</source>
        <translation>&lt;b&gt;%1 gemeldet&lt;/b&gt; von %2 Vorfällen (%3 Ereignisse, %4 unterdrückt, %5 Flottenvorfälle) · je 10 min: Mittel %6, Spitze %7, Flutperioden %8 · flatternd %9 · stehend %10</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> · priority high/medium/low %1/%2/%3</source>
        <translation> · Priorität hoch/mittel/niedrig %1/%2/%3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> · incident precision %1, %2 per fault episode</source>
        <translation> · Vorfallpräzision %1, %2 je Fehlerepisode</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alarm KPIs after EEMUA 191 / ISA-18.2 over all data: about 1 annunciated alarm per 10 minutes is manageable; more than 10 is a flood.</source>
        <translation>Alarmkennzahlen nach EEMUA 191 / ISA-18.2 über alle Daten: etwa 1 gemeldeter Alarm je 10 Minuten ist beherrschbar; mehr als 10 sind eine Alarmflut.</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>All devices</source>
        <translation>Alle Geräte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All causes</source>
        <translation>Alle Ursachen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 of %2 incidents</source>
        <translation>%1 von %2 Vorfällen</translation>
    </message>
</context>
<context>
    <name>itap::DeviceLeaderboard</name>
    <message>
        <location filename="../ui/device_leaderboard.cpp" line="+26"/>
        <source>Filter devices…</source>
        <translation>Geräte filtern…</translation>
    </message>
</context>
<context>
    <name>itap::DeviceSummaryModel</name>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="+63"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2 %)</source>
        <translation>%1 (%2 %)</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 %2 %</source>
        <translation>%1 %2 %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3 rows flagged</source>
        <translation>%1: %2 von %3 Zeilen markiert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>
flagged from %1 to %2</source>
        <translation>
markiert von %1 bis %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>
families: %1</source>
        <translation>
Familien: %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>P95</source>
        <translation>P95</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Max</source>
        <translation>Max</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dominant family</source>
        <translation>Dominante Familie</translation>
    </message>
</context>
<context>
    <name>itap::DeviceView</name>
    <message>
        <location filename="../ui/device_view.cpp" line="+212"/>
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drag to zoom, wheel to zoom, Shift+drag or middle drag to pan, right click or double click to reset.</source>
        <translation>Ziehen oder Mausrad zum Zoomen, Umschalt+Ziehen oder mittlere Maustaste zum Verschieben, Rechtsklick oder Doppelklick zum Zurücksetzen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No device selected. Pick a device in the leaderboard.</source>
        <translation>Kein Gerät ausgewählt. Wählen Sie ein Gerät in der Rangliste.</translation>
    </message>
    <message>
        <location line="+218"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — %2 (%3)</source>
        <translation>%1 — %2 (%3)</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>threshold %1</source>
        <translation>Schwelle %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>flagged (%1)</source>
        <translation>markiert (%1)</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp;·&amp;nbsp; %2 rows &amp;nbsp;·&amp;nbsp; %3 → %4 UTC &amp;nbsp;·&amp;nbsp; %5 flagged at threshold %6</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp;·&amp;nbsp; %2 Zeilen &amp;nbsp;·&amp;nbsp; %3 → %4 UTC &amp;nbsp;·&amp;nbsp; %5 markiert bei Schwelle %6</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Fault episodes (ground truth): %1</source>
        <translation>Fehlerepisoden (Ground Truth): %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>State: %1</source>
        <translation>Zustand: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 flagged row (click a marker to explain it)</source>
        <translation>%1 markierte Zeile (Marker anklicken, um sie zu erklären)</translation>
    </message>
</context>
<context>
    <name>itap::EvaluationPanel</name>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="+167"/>
        <source>Back to selected</source>
        <translation>Zurück zur gewählten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return to the threshold the evaluation rule selected.</source>
        <translation>Zur Schwelle zurückkehren, die die Bewertungsregel gewählt hat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Score threshold:</source>
        <translation>Score-Schwelle:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Apply</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make the previewed threshold the operating threshold: the alarm list and every view re-derive at it, and the change is recorded in the journal.</source>
        <translation>Die Vorschauschwelle zur Betriebsschwelle machen: Alarmliste und alle Ansichten werden an ihr neu abgeleitet, und die Änderung wird im Journal vermerkt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Revert</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Back to the operating threshold; the preview is dropped.</source>
        <translation>Zurück zur Betriebsschwelle; die Vorschau wird verworfen.</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+28"/>
        <location line="+16"/>
        <location line="+31"/>
        <source>Precision</source>
        <translation>Präzision</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+27"/>
        <location line="+17"/>
        <location line="+31"/>
        <source>Recall</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+43"/>
        <location line="+31"/>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Flagged rows</source>
        <translation>Markierte Zeilen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+21"/>
        <source>False-positive rate</source>
        <translation>Falsch-Positiv-Rate</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Fault episodes caught</source>
        <translation>Erkannte Fehlerepisoden</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Recall (true-positive rate)</source>
        <translation>Trefferquote (Richtig-Positiv-Rate)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No ground truth: the data carries no fault labels, so ROC and precision–recall curves cannot be drawn. The sweep below still shows how many rows each threshold flags.</source>
        <translation>Keine Ground Truth: Die Daten enthalten keine Fehlerlabels, daher können keine ROC- und Precision-Recall-Kurven gezeichnet werden. Die Schwellenübersicht unten zeigt dennoch, wie viele Zeilen jede Schwelle markiert.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Percentile</source>
        <translation>Perzentil</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+31"/>
        <source>Flagged</source>
        <translation>Markiert</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>FPR</source>
        <translation>FPR</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Recall per fault type at the threshold</source>
        <translation>Trefferquote je Fehlertyp an der Schwelle</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No ground truth: per-fault recall needs fault labels.</source>
        <translation>Keine Ground Truth: Der Recall pro Fehlertyp benötigt Fehlerlabels.</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Per device at %1</source>
        <translation>Pro Gerät bei %1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>No fleet analysed yet.</source>
        <translation>Noch keine Flotte analysiert.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Preparing the score index…</source>
        <translation>Score-Index wird vorbereitet…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot evaluate these scores: %1</source>
        <translation>Diese Scores können nicht ausgewertet werden: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;b&gt;%1&lt;/b&gt; evaluated rows (training span left out) · selected threshold &lt;b&gt;%2&lt;/b&gt; (%3)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; bewertete Zeilen (ohne Trainingszeitraum) · gewählte Schwelle &lt;b&gt;%2&lt;/b&gt; (%3)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> · ROC-AUC &lt;b&gt;%1&lt;/b&gt; · PR-AUC &lt;b&gt;%2&lt;/b&gt;</source>
        <translation> · ROC-AUC &lt;b&gt;%1&lt;/b&gt; · PR-AUC &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> · &lt;b&gt;no ground truth&lt;/b&gt;: precision and recall are unknown</source>
        <translation> · &lt;b&gt;keine Ground Truth&lt;/b&gt;: Precision und Recall sind unbekannt</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Cannot evaluate at %1: %2</source>
        <translation>Auswertung bei %1 nicht möglich: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no ground truth</source>
        <translation>keine Ground Truth</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="-134"/>
        <location line="+145"/>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location line="-235"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>False alarms</source>
        <translation>Fehlalarme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Missed</source>
        <translation>Verpasst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ROC-AUC</source>
        <translation>ROC-AUC</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Events caught</source>
        <translation>Ereignisse erkannt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>False-alarm rate: flagged normal rows / normal rows</source>
        <translation>Fehlalarmrate: markierte normale Zeilen / normale Zeilen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Missed-alarm rate: anomalous rows not flagged / anomalous rows</source>
        <translation>Rate verpasster Alarme: nicht markierte anomale Zeilen / anomale Zeilen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Double-click a row to use its threshold.</source>
        <translation>Doppelklick auf eine Zeile übernimmt ihre Schwelle.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Threshold sweep</source>
        <translation>Schwellenübersicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Per device</source>
        <translation>Pro Gerät</translation>
    </message>
    <message>
        <location line="+279"/>
        <source>&lt;b&gt;Preview at threshold %1 — not applied.&lt;/b&gt; The Alerts list, fleet overview, leaderboard and device view stay at the operating threshold %2 until Apply.</source>
        <translation>&lt;b&gt;Vorschau an der Schwelle %1 — nicht übernommen.&lt;/b&gt; Alarmliste, Flottenübersicht, Rangliste und Geräteansicht bleiben bis „Übernehmen“ an der Betriebsschwelle %2.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Deriving the alarms at this threshold…</source>
        <translation>Die Alarme an dieser Schwelle werden abgeleitet…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alarms at the operating threshold &lt;b&gt;%1&lt;/b&gt; (all data): %2</source>
        <translation>Alarme an der Betriebsschwelle &lt;b&gt;%1&lt;/b&gt; (alle Daten): %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Would give (all data): %1</source>
        <translation>Ergäbe (alle Daten): %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · %1 annunciated against the operating threshold</source>
        <translation> · %1 gemeldet gegenüber der Betriebsschwelle</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 incidents, %2 annunciated (high %3, medium %4, low %5) · %6 per 10 min, peak %7</source>
        <translation>%1 Vorfälle, %2 gemeldet (hoch %3, mittel %4, niedrig %5) · %6 je 10 min, Spitze %7</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> · incident precision %1, %2 of %3 fault episodes caught</source>
        <translation> · Vorfallpräzision %1, %2 von %3 Fehlerepisoden erkannt</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>ROC curve — AUC %1</source>
        <translation>ROC-Kurve — AUC %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Precision–recall curve — AP %1</source>
        <translation>Präzision-Trefferquote-Kurve — AP %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Row recall</source>
        <translation>Zeilen-Trefferquote</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event recall (episode caught)</source>
        <translation>Ereignis-Trefferquote (Episode erkannt)</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>itap::ExplanationView</name>
    <message>
        <location filename="../ui/explanation_view.cpp" line="+91"/>
        <source>Select an alert to see why it was raised.</source>
        <translation>Wählen Sie einen Alarm, um zu sehen, warum er ausgelöst wurde.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Top features — share of the anomaly score</source>
        <translation>Wichtigste Merkmale — Anteil am Anomalie-Score</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sensor families</source>
        <translation>Sensorfamilien</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>%1&lt;b&gt;%2&lt;/b&gt; &amp;nbsp;·&amp;nbsp; %3 UTC &amp;nbsp;·&amp;nbsp; %4 &amp;nbsp;·&amp;nbsp; score %5</source>
        <translation>%1&lt;b&gt;%2&lt;/b&gt; &amp;nbsp;·&amp;nbsp; %3 UTC &amp;nbsp;·&amp;nbsp; %4 &amp;nbsp;·&amp;nbsp; Score %5</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+18"/>
        <source>Cause</source>
        <translation>Ursache</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Confidence</source>
        <translation>Konfidenz</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>Maßnahme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No suggested action.</source>
        <translation>Keine empfohlene Maßnahme.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert span</source>
        <translation>Alarmzeitraum</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 → %2 UTC, %n flagged row(s)</source>
        <translation>
            <numerusform>%1 → %2 UTC, %n markierte Zeile</numerusform>
            <numerusform>%1 → %2 UTC, %n markierte Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Instrument</source>
        <translation>Messgerät</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: no data, %2 → %3 UTC</source>
        <translation>%1: keine Daten, %2 → %3 UTC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: frozen value, %2 → %3 UTC</source>
        <translation>%1: eingefrorener Wert, %2 → %3 UTC</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Attribution</source>
        <translation>Zuordnung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>whole incident, by margin</source>
        <translation>ganzer Vorfall, nach Abstand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(no alert selected: the row&apos;s attribution only)</source>
        <translation>(kein Alarm ausgewählt: nur die Zuordnung der Zeile)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ground truth</source>
        <translation>Ground Truth</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>normal row</source>
        <translation>normale Zeile</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Loading the traces of %1…</source>
        <translation>Verläufe von %1 werden geladen…</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+16"/>
        <source>%1  %2 %</source>
        <translation>%1  %2 %</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No telemetry stored for %1.</source>
        <translation>Für %1 sind keine Telemetriedaten gespeichert.</translation>
    </message>
</context>
<context>
    <name>itap::FleetOverview</name>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="+76"/>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Telemetry rows</source>
        <translation>Telemetriezeilen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Flagged rows</source>
        <translation>Markierte Zeilen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Devices affected</source>
        <translation>Betroffene Geräte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Critical alerts</source>
        <translation>Kritische Alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Warning alerts</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Info alerts</source>
        <translation>Info-Alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Systemic patterns</source>
        <translation>Systemische Muster</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Score threshold</source>
        <translation>Score-Schwelle</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Anomaly score distribution</source>
        <translation>Verteilung der Anomalie-Scores</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Family mix of flagged rows</source>
        <translation>Familienanteile markierter Zeilen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&lt;b&gt;Fleet patterns&lt;/b&gt; — systemic: several devices, same family, same time</source>
        <translation>&lt;b&gt;Flottenmuster&lt;/b&gt; — systemisch: mehrere Geräte, dieselbe Familie, zur selben Zeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No fleet loaded. Use File ▸ Simulate fleet… or File ▸ Open database…</source>
        <translation>Keine Flotte geladen. Verwenden Sie Datei ▸ Flotte simulieren… oder Datei ▸ Datenbank öffnen…</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>%1 % of all rows</source>
        <translation>%1 % aller Zeilen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>of %1 devices</source>
        <translation>von %1 Geräten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 alerts in total</source>
        <translation>%1 Alarme insgesamt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>of %1 patterns</source>
        <translation>von %1 Mustern</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Below threshold</source>
        <translation>Unter der Schwelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flagged (≥ threshold)</source>
        <translation>Markiert (≥ Schwelle)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Anomaly score</source>
        <translation>Anomalie-Score</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Rows (log scale)</source>
        <translation>Zeilen (log. Skala)</translation>
    </message>
    <message>
        <location line="-123"/>
        <location line="+128"/>
        <source>Threshold %1</source>
        <translation>Schwelle %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Share of the anomaly score</source>
        <translation>Anteil am Anomalie-Score</translation>
    </message>
</context>
<context>
    <name>itap::ImportDialog</name>
    <message>
        <location filename="../ui/import_dialog.cpp" line="+67"/>
        <source>Import telemetry</source>
        <translation>Telemetrie importieren</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>CSV files or a glob, e.g. /data/pump-*.csv (several separated by ;)</source>
        <translation>CSV-Dateien oder ein Muster, z. B. /data/pump-*.csv (mehrere durch ; getrennt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <location line="+29"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>&amp;Files:</source>
        <translation>&amp;Dateien:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>none — the files are canonical ITAP CSV</source>
        <translation>keine — die Dateien sind kanonisches ITAP-CSV</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Guess mapping</source>
        <translation>Zuordnung &amp;erraten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Propose a mapping from the header and the first rows of the first file</source>
        <translation>Eine Zuordnung aus der Kopfzeile und den ersten Zeilen der ersten Datei vorschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save mapping…</source>
        <translation>Zuordnung &amp;speichern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write the mapping to a JSON file to review and edit it</source>
        <translation>Die Zuordnung in eine JSON-Datei schreiben, um sie zu prüfen und zu bearbeiten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the mapping file and the preview again (after editing the mapping)</source>
        <translation>Zuordnungsdatei und Vorschau neu lesen (nach dem Bearbeiten der Zuordnung)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Mapping:</source>
        <translation>&amp;Zuordnung:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Open database</source>
        <translation>Geöffnete Datenbank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import into the database the console has open</source>
        <translation>In die Datenbank importieren, die die Konsole geöffnet hat</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Database:</source>
        <translation>Daten&amp;bank:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>S&amp;kip rows that cannot be read (import the valid rows and count the rest)</source>
        <translation>&amp;Unlesbare Zeilen überspringen (gültige Zeilen importieren, den Rest zählen)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Preview — the first rows as they will be stored</source>
        <translation>Vorschau — die ersten Zeilen, wie sie gespeichert werden</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Line in the file</source>
        <translation>Zeile in der Datei</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>No database is open</source>
        <translation>Keine Datenbank geöffnet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import into %1</source>
        <translation>In %1 importieren</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Guess mapping: %1</source>
        <translation>Zuordnung erraten: %1</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Save import mapping</source>
        <translation>Importzuordnung speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+20"/>
        <source>Import mapping (*.json);;All files (*)</source>
        <translation>Importzuordnung (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Telemetry CSV files</source>
        <translation>Telemetrie-CSV-Dateien</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV-Dateien (*.csv *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Import mapping</source>
        <translation>Importzuordnung</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Database to import into (existing or new)</source>
        <translation>Zieldatenbank des Imports (vorhanden oder neu)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQLite databases (*.db *.sqlite);;All files (*)</source>
        <translation>SQLite-Datenbanken (*.db *.sqlite);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Guessed: %1</source>
        <translation>Erraten: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the CSV files to import.</source>
        <translation>Wählen Sie die zu importierenden CSV-Dateien.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No file matches %1.</source>
        <translation>Keine Datei passt zu %1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: no such file</source>
        <translation>%1: Datei nicht gefunden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Canonical ITAP CSV is imported one file at a time; choose a mapping to import several files together.</source>
        <translation>Kanonisches ITAP-CSV wird dateiweise importiert; wählen Sie eine Zuordnung, um mehrere Dateien zusammen zu importieren.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose the database to import into.</source>
        <translation>Wählen Sie die Zieldatenbank des Imports.</translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>%1: %n empty cell(s) in %2 (stored as missing)</source>
        <translation>
            <numerusform>%1: %n leere Zelle in %2 (als fehlend gespeichert)</numerusform>
            <numerusform>%1: %n leere Zellen in %2 (als fehlend gespeichert)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: the first %2 lines read — %3 rows shown, %4 rejected; %5 channels.</source>
        <translation>%1: die ersten %2 Zeilen gelesen — %3 Zeilen angezeigt, %4 abgewiesen; %5 Kanäle.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 (canonical ITAP CSV): the first %2 lines read — %3 rows shown, %4 rejected.</source>
        <translation>%1 (kanonisches ITAP-CSV): die ersten %2 Zeilen gelesen — %3 Zeilen angezeigt, %4 abgewiesen.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>No problems in the previewed rows.</source>
        <translation>Keine Probleme in den Vorschauzeilen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unmapped columns: none</source>
        <translation>Nicht zugeordnete Spalten: keine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unmapped columns (ignored): %1</source>
        <translation>Nicht zugeordnete Spalten (ignoriert): %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>No mapping: canonical ITAP CSV (timestamp, device_id, state, the default channels, error_code[, fault_tag]).</source>
        <translation>Keine Zuordnung: kanonisches ITAP-CSV (timestamp, device_id, state, die Standardkanäle, error_code[, fault_tag]).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The mapping cannot be used; see the problems below.</source>
        <translation>Die Zuordnung ist nicht verwendbar; siehe die Probleme unten.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>labels: yes (the evaluation gets ground truth)</source>
        <translation>Labels: ja (die Auswertung erhält Ground Truth)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>labels: none (the evaluation will say “no ground truth”)</source>
        <translation>Labels: keine (die Auswertung meldet „keine Ground Truth“)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n channel(s) in the families %1; %2</source>
        <translation>
            <numerusform>%n Kanal in den Familien %1; %2</numerusform>
            <numerusform>%n Kanäle in den Familien %1; %2</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Guessed from %1 (not saved — “Save mapping…” writes it for editing): %2</source>
        <translation>Aus %1 erraten (nicht gespeichert — „Zuordnung speichern…“ schreibt sie zum Bearbeiten): %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Existing database: the rows are added to it (rows it already holds are skipped); it must hold the same channels as the mapping.</source>
        <translation>Vorhandene Datenbank: die Zeilen werden hinzugefügt (bereits enthaltene Zeilen übersprungen); sie muss dieselben Kanäle wie die Zuordnung haben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A new database is created with the default channels.</source>
        <translation>Eine neue Datenbank mit den Standardkanälen wird angelegt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A new database is created with the mapping&apos;s channels.</source>
        <translation>Eine neue Datenbank mit den Kanälen der Zuordnung wird angelegt.</translation>
    </message>
</context>
<context>
    <name>itap::ImportPreviewModel</name>
    <message>
        <location filename="../ui/models/import_preview_model.cpp" line="+66"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>missing value</source>
        <translation>fehlender Wert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>line %1 of the file</source>
        <translation>Zeile %1 der Datei</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 [%2]</source>
        <translation>%1 [%2]</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Error code</source>
        <translation>Fehlercode</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 — family %2, valid range %3 … %4 %5</source>
        <translation>%1 — Familie %2, gültiger Bereich %3 … %4 %5</translation>
    </message>
</context>
<context>
    <name>itap::LiveSession</name>
    <message>
        <location filename="../ui/live_session.cpp" line="+303"/>
        <source>No trained model: run the pipeline first.</source>
        <translation>Kein trainiertes Modell: Führen Sie zuerst die Pipeline aus.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>the database is open read-only</source>
        <translation>die Datenbank ist schreibgeschützt geöffnet</translation>
    </message>
</context>
<context>
    <name>itap::LiveView</name>
    <message>
        <location filename="../ui/live_view.cpp" line="+49"/>
        <source>Rows streamed</source>
        <translation>Gestreamte Zeilen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Flagged rows</source>
        <translation>Markierte Zeilen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Critical alerts</source>
        <translation>Kritische Alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Warning alerts</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Info alerts</source>
        <translation>Info-Alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+147"/>
        <source>Simulated time (UTC)</source>
        <translation>Simulierte Zeit (UTC)</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stream a simulated fleet through the trained model of this run</source>
        <translation>Eine simulierte Flotte durch das trainierte Modell dieses Laufs streamen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Simulated seconds per real second (×1 … ×1000)</source>
        <translation>Simulierte Sekunden pro echter Sekunde (×1 … ×1000)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Fleet maximum</source>
        <translation>Flottenmaximum</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chart</source>
        <translation>Diagramm</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Anomaly score, live</source>
        <translation>Anomalie-Score, live</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+22"/>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Flagged</source>
        <translation>Markiert</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <location line="+41"/>
        <location line="+182"/>
        <location line="+157"/>
        <source>Select an alert to see its cause, rule and suggested action.</source>
        <translation>Wählen Sie einen Alarm, um Ursache, Regel und empfohlene Maßnahme zu sehen.</translation>
    </message>
    <message>
        <location line="-296"/>
        <source>×%1</source>
        <translation>×%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Live alarms are no longer journaled: %1</source>
        <translation>Live-Alarme werden nicht mehr ins Journal geschrieben: %1</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Replaying the stored history into the feature windows…</source>
        <translation>Die gespeicherte Historie wird in die Merkmalsfenster eingespielt…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+126"/>
        <source>Streaming</source>
        <translation>Streamt</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>Run the pipeline first: live mode scores with the trained model of a run.</source>
        <translation>Führen Sie zuerst die Pipeline aus: Der Live-Modus bewertet mit dem trainierten Modell eines Laufs.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Alarms are not journaled: the database %1 is open read-only, so live incidents are shown here only and cannot be acknowledged.</source>
        <translation>Alarme werden nicht ins Journal geschrieben: Die Datenbank %1 ist schreibgeschützt geöffnet, daher werden Live-Vorfälle nur hier gezeigt und können nicht quittiert werden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alarms are no longer journaled: %1</source>
        <translation>Alarme werden nicht mehr ins Journal geschrieben: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Live incidents are recorded in the alarm journal of %1 and listed in the Alerts view, where they are acknowledged.</source>
        <translation>Live-Vorfälle werden im Alarmjournal von %1 gespeichert und in der Alarmansicht aufgeführt, wo sie quittiert werden.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Continues the simulated fleet of this run (%1 devices, seed %2, every %3 s) from %4 UTC.</source>
        <translation>Setzt die simulierte Flotte dieses Laufs fort (%1 Geräte, Seed %2, alle %3 s) ab %4 UTC.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A simulated fleet shaped like this database (%1 devices, every %2 s, default profile) streams from %3 UTC.</source>
        <translation>Eine simulierte Flotte nach dem Vorbild dieser Datenbank (%1 Geräte, alle %2 s, Standardprofil) streamt ab %3 UTC.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 Features, scores, explanations and alerts are computed row by row with the run&apos;s model; alert threshold %2.</source>
        <translation>%1 Merkmale, Scores, Erklärungen und Alarme werden Zeile für Zeile mit dem Modell des Laufs berechnet; Alarmschwelle %2.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Replaying the stored history into the feature windows… %1 %</source>
        <translation>Die gespeicherte Historie wird in die Merkmalsfenster eingespielt… %1 %</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Score of %1</source>
        <translation>Score von %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fleet maximum score</source>
        <translation>Höchster Score der Flotte</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+3"/>
        <source>%1 %2 %</source>
        <translation>%1 %2 %</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>&lt;p&gt;&lt;span style=&quot;color:%1&quot;&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/span&gt; · &lt;b&gt;%3&lt;/b&gt;&lt;br&gt;%4 → %5 UTC, %n flagged row(s), peak score %6&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cause:&lt;/b&gt; %7&lt;br&gt;&lt;b&gt;Rule:&lt;/b&gt; %8&lt;br&gt;&lt;b&gt;Action:&lt;/b&gt; %9&lt;/p&gt;&lt;p&gt;&lt;b&gt;Families:&lt;/b&gt; %10&lt;br&gt;&lt;b&gt;Top features:&lt;/b&gt; %11&lt;/p&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;&lt;span style=&quot;color:%1&quot;&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/span&gt; · &lt;b&gt;%3&lt;/b&gt;&lt;br&gt;%4 → %5 UTC, %n markierte Zeile, Spitzen-Score %6&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ursache:&lt;/b&gt; %7&lt;br&gt;&lt;b&gt;Regel:&lt;/b&gt; %8&lt;br&gt;&lt;b&gt;Maßnahme:&lt;/b&gt; %9&lt;/p&gt;&lt;p&gt;&lt;b&gt;Familien:&lt;/b&gt; %10&lt;br&gt;&lt;b&gt;Wichtigste Merkmale:&lt;/b&gt; %11&lt;/p&gt;</numerusform>
            <numerusform>&lt;p&gt;&lt;span style=&quot;color:%1&quot;&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/span&gt; · &lt;b&gt;%3&lt;/b&gt;&lt;br&gt;%4 → %5 UTC, %n markierte Zeilen, Spitzen-Score %6&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ursache:&lt;/b&gt; %7&lt;br&gt;&lt;b&gt;Regel:&lt;/b&gt; %8&lt;br&gt;&lt;b&gt;Maßnahme:&lt;/b&gt; %9&lt;/p&gt;&lt;p&gt;&lt;b&gt;Familien:&lt;/b&gt; %10&lt;br&gt;&lt;b&gt;Wichtigste Merkmale:&lt;/b&gt; %11&lt;/p&gt;</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No suggested action.</source>
        <translation>Keine empfohlene Maßnahme.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>CRITICAL — %1: %2 at %3 UTC (score %4)</source>
        <translation>KRITISCH — %1: %2 um %3 UTC (Score %4)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>ITAP Console — live mode</source>
        <translation>ITAP Console — Live-Modus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Critical alert</source>
        <translation>Kritischer Alarm</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The simulated span ended.</source>
        <translation>Der simulierte Zeitraum ist zu Ende.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Live stream ended: the simulated span ran out.</source>
        <translation>Live-Stream beendet: Der simulierte Zeitraum ist abgelaufen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live stream stopped.</source>
        <translation>Live-Stream gestoppt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>Live mode failed: %1</source>
        <translation>Live-Modus fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>itap::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="+82"/>
        <source>ITAP Console</source>
        <translation>ITAP-Konsole</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pipeline failed</source>
        <translation>Pipeline fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Fleet overview</source>
        <translation>Flottenübersicht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm KPIs</source>
        <translation>Alarmkennzahlen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Device leaderboard</source>
        <translation>Geräte-Rangliste</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Simulate fleet…</source>
        <translation>Flotte &amp;simulieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Open database…</source>
        <translation>Datenbank ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;server database…</source>
        <translation>&amp;Serverdatenbank öffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Import telemetry CSV…</source>
        <translation>Telemetrie-CSV &amp;importieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export artifacts…</source>
        <translation>Artefakte &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export alarm &amp;journal…</source>
        <translation>Alarm&amp;journal exportieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Fleet overview</source>
        <translation>&amp;Flottenübersicht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Evaluation</source>
        <translation>A&amp;uswertung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Alerts</source>
        <translation>A&amp;larme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L&amp;ive</source>
        <translation>L&amp;ive</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm &amp;KPIs</source>
        <translation>Alarm&amp;kennzahlen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Device &amp;leaderboard</source>
        <translation>Geräte-&amp;Rangliste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About ITAP Console</source>
        <translation>&amp;Über die ITAP-Konsole</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No database</source>
        <translation>Keine Datenbank</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the running stage; stored data stays as it was before the stage.</source>
        <translation>Die laufende Stufe abbrechen; gespeicherte Daten bleiben so, wie sie vor der Stufe waren.</translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>Alarm journal: %n row(s) recorded (%1) by %2</source>
        <translation>
            <numerusform>Alarmjournal: %n Zeile von %2 gespeichert (%1)</numerusform>
            <numerusform>Alarmjournal: %n Zeilen von %2 gespeichert (%1)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot read the alarm journal: %1</source>
        <translation>Das Alarmjournal kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 active · %2 unacknowledged · %3 shelved</source>
        <translation>%1 aktiv · %2 unquittiert · %3 zurückgestellt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alerts (%1 active, %2 unack., %3 shelved)</source>
        <translation>Alarme (%1 aktiv, %2 unquitt., %3 zurückgest.)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alarms: %1</source>
        <translation>Alarme: %1</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The settings cannot be applied: %1
Correct them in Edit ▸ Settings….</source>
        <translation>Die Einstellungen können nicht angewendet werden: %1
Korrigieren Sie sie unter Bearbeiten ▸ Einstellungen….</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A pipeline is already running.</source>
        <translation>Eine Pipeline läuft bereits.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+45"/>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 rows · %2 devices</source>
        <translation>%1 Zeilen · %2 Geräte</translation>
    </message>
    <message>
        <location line="+158"/>
        <source> (applied by %1; recording…)</source>
        <translation> (übernommen von %1; wird vermerkt…)</translation>
    </message>
    <message>
        <location line="+41"/>
        <source> (applied by %1, recorded in the journal)</source>
        <translation> (übernommen von %1, im Journal vermerkt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (applied for this session only; not recorded: %1)</source>
        <translation> (nur für diese Sitzung übernommen; nicht vermerkt: %1)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ready — operating threshold %1</source>
        <translation>Bereit — Betriebsschwelle %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> · previewing %1 (not applied)</source>
        <translation> · Vorschau %1 (nicht übernommen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, deriving its alarms…</source>
        <translation>, ihre Alarme werden abgeleitet…</translation>
    </message>
    <message>
        <location line="-213"/>
        <source> · settings: %1</source>
        <translation> · Einstellungen: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+433"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location line="-430"/>
        <source> (applied by %1 on %2 UTC; the analysis chose %3)</source>
        <translation> (übernommen von %1 am %2 UTC; die Analyse wählte %3)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Rows in conflict with stored rows</source>
        <translation>Zeilen im Konflikt mit gespeicherten Zeilen</translation>
    </message>
    <message>
        <location line="+281"/>
        <source>Device %1</source>
        <translation>Gerät %1</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Open telemetry database</source>
        <translation>Telemetrie-Datenbank öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQLite databases (*.db *.sqlite);;All files (*)</source>
        <translation>SQLite-Datenbanken (*.db *.sqlite);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+7"/>
        <source>Open server database</source>
        <translation>Serverdatenbank öffnen</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>PostgreSQL URL, e.g. postgresql://user@host:5432/dbname
(the password comes from PGPASSWORD or ~/.pgpass; it is never stored)</source>
        <translation>PostgreSQL-URL, z. B. postgresql://benutzer@host:5432/datenbank
(das Passwort kommt aus PGPASSWORD oder ~/.pgpass; es wird nie gespeichert)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not a PostgreSQL URL: %1</source>
        <translation>Keine PostgreSQL-URL: %1</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Export artifacts to</source>
        <translation>Artefakte exportieren nach</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exporting artifacts…</source>
        <translation>Artefakte werden exportiert…</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+1"/>
        <location line="+37"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Exported %1 files to %2</source>
        <translation>%1 Dateien nach %2 exportiert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export alarm journal to</source>
        <translation>Alarmjournal exportieren nach</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Exporting the alarm journal…</source>
        <translation>Alarmjournal wird exportiert…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Alarm journal export failed</source>
        <translation>Export des Alarmjournals fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exported the alarm journal (%1) to %2</source>
        <translation>Alarmjournal (%1) nach %2 exportiert</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>About ITAP Console</source>
        <translation>Über die ITAP-Konsole</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;ITAP Console %1&lt;/h3&gt;&lt;p&gt;Industrial Telemetry Analytics Platform: detects, explains, aggregates and alerts on anomalous behaviour in machine telemetry.&lt;/p&gt;&lt;p&gt;Git commit: &lt;tt&gt;%2&lt;/tt&gt;&lt;br&gt;Qt %3&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ITAP Console %1&lt;/h3&gt;&lt;p&gt;Industrial Telemetry Analytics Platform: erkennt, erklärt, aggregiert und alarmiert bei anomalem Verhalten in Maschinentelemetrie.&lt;/p&gt;&lt;p&gt;Git-Commit: &lt;tt&gt;%2&lt;/tt&gt;&lt;br&gt;Qt %3&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(development build)</source>
        <translation>(Entwicklungsversion)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>itap::PatternTableModel</name>
    <message>
        <location filename="../ui/models/pattern_table_model.cpp" line="+39"/>
        <source>SYSTEMIC</source>
        <translation>SYSTEMISCH</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>isolated</source>
        <translation>isoliert</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Pattern</source>
        <translation>Muster</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verdict</source>
        <translation>Befund</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At once</source>
        <translation>Gleichzeitig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Highest</source>
        <translation>Höchster</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Span (UTC)</source>
        <translation>Zeitraum (UTC)</translation>
    </message>
</context>
<context>
    <name>itap::PipelineController</name>
    <message>
        <location filename="../core/pipeline/pipeline_run.cpp" line="+38"/>
        <source>cannot replace the database file</source>
        <translation>die Datenbankdatei kann nicht ersetzt werden</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>no database given</source>
        <translation>keine Datenbank angegeben</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>cannot create the directory</source>
        <translation>das Verzeichnis kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Simulating fleet</source>
        <translation>Flotte wird simuliert</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+11"/>
        <source>Validating and ingesting</source>
        <translation>Prüfen und Einlesen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>no import mapping given</source>
        <translation>keine Importzuordnung angegeben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Importing through the mapping</source>
        <translation>Import über die Zuordnung</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>the database holds no telemetry</source>
        <translation>die Datenbank enthält keine Telemetrie</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Training model</source>
        <translation>Modell wird trainiert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Scoring and analysing</source>
        <translation>Bewertung und Analyse</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../ui/pipeline_controller.cpp" line="+88"/>
        <source>The pipeline stopped unexpectedly.</source>
        <translation>Die Pipeline wurde unerwartet beendet.</translation>
    </message>
</context>
<context>
    <name>itap::RunNotice</name>
    <message>
        <location filename="../ui/run_notice.cpp" line="+30"/>
        <source>Scores not stored: the database is read-only</source>
        <translation>Scores nicht gespeichert: die Datenbank ist schreibgeschützt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The database was opened read-only, so the scores of this run were not stored; the views and an export show them, the database keeps the scores it had.</source>
        <translation>Die Datenbank wurde schreibgeschützt geöffnet, daher wurden die Scores dieses Laufs nicht gespeichert; die Ansichten und ein Export zeigen sie, die Datenbank behält ihre bisherigen Scores.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the new values replaced them</source>
        <translation>die neuen Werte haben sie ersetzt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the stored values were kept</source>
        <translation>die gespeicherten Werte wurden beibehalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported rows in conflict with stored rows: %1; %2</source>
        <translation>Importierte Zeilen im Konflikt mit gespeicherten Zeilen: %1; %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 rows conflict with stored rows (same device and timestamp, other values); %2:</source>
        <translation>%1 Zeilen stehen im Konflikt mit gespeicherten Zeilen (gleiches Gerät und gleicher Zeitstempel, andere Werte); %2:</translation>
    </message>
</context>
<context>
    <name>itap::ScreenshotSession</name>
    <message>
        <location filename="../ui/screenshot.cpp" line="+46"/>
        <source>cannot create the directory %1</source>
        <translation>Verzeichnis %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot create a temporary directory</source>
        <translation>temporäres Verzeichnis kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the pipeline did not start</source>
        <translation>die Pipeline ist nicht gestartet</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>%1 screenshots written to %2</source>
        <translation>%1 Screenshots nach %2 geschrieben</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>itap::SettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="+300"/>
        <source>window %1</source>
        <translation>Fenster %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>trees %1</source>
        <translation>Bäume %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ψ %1</source>
        <translation>ψ %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>seed %1</source>
        <translation>Seed %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>normalised %1</source>
        <translation>normiert %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>globally</source>
        <translation>global</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per device</source>
        <translation>pro Gerät</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per state</source>
        <translation>pro Betriebszustand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per device and state</source>
        <translation>pro Gerät und Zustand</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>training on the first %1 rows</source>
        <translation>Training auf den ersten %1 Zeilen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>training on the first %1 h</source>
        <translation>Training auf den ersten %1 h</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>training on the first %1 %</source>
        <translation>Training auf den ersten %1 %</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>smoothing %1 samples</source>
        <translation>Glättung über %1 Messwerte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>minimum alarm %1 s</source>
        <translation>Mindestalarmdauer %1 s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>label-free threshold</source>
        <translation>labelfreie Schwelle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>minimum precision %1</source>
        <translation>Mindestpräzision %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>label-free: maximum × %1</source>
        <translation>labelfrei: Maximum × %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>label-free: quantile %1</source>
        <translation>labelfrei: Quantil %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cooldown %1 s</source>
        <translation>Abklingzeit %1 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rules %1</source>
        <translation>Regeln %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+57"/>
        <source> samples</source>
        <translation> Messwerte</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>Trailing window of the rolling statistics and the spectrum, in samples of each device (%1–%2).</source>
        <translation>Zurückliegendes Fenster der gleitenden Statistiken und des Spektrums, in Messwerten jedes Geräts (%1–%2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Window length:</source>
        <translation>&amp;Fensterlänge:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Features</source>
        <translation>Merkmale</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Isolation trees in the forest (1–%1). More trees: steadier scores, slower training and scoring.</source>
        <translation>Isolation Trees im Wald (1–%1). Mehr Bäume: stabilere Scores, langsameres Training und Scoring.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+22"/>
        <source> rows</source>
        <translation> Zeilen</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>ψ: training rows drawn for each tree (capped at the rows available).</source>
        <translation>ψ: Trainingszeilen, die für jeden Baum gezogen werden (höchstens so viele wie vorhanden).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same seed, same forest.</source>
        <translation>Gleicher Seed, gleicher Wald.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Per operating state</source>
        <translation>Pro Betriebszustand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Per device</source>
        <translation>Pro Gerät</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Per device and state</source>
        <translation>Pro Gerät und Zustand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Global</source>
        <translation>Global</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Which rows share the means and deviations the features are standardised with. Per device suits fleets whose devices run at different operating points.</source>
        <translation>Welche Zeilen sich die Mittelwerte und Standardabweichungen teilen, mit denen die Merkmale standardisiert werden. „Pro Gerät“ passt zu Flotten, deren Geräte an unterschiedlichen Arbeitspunkten laufen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>First part of each device&apos;s time</source>
        <translation>Erster Teil der Zeit jedes Geräts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First rows of each device</source>
        <translation>Erste Zeilen jedes Geräts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First hours of each device&apos;s data</source>
        <translation>Erste Stunden der Daten jedes Geräts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model learns normal behaviour from the start of each device&apos;s series only, so it never sees rows later than those it is evaluated on.</source>
        <translation>Das Modell lernt das Normalverhalten nur aus dem Anfang der Reihe jedes Geräts und sieht so nie Zeilen, die später liegen als die, auf denen es bewertet wird.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of each device&apos;s time span, from its first row.</source>
        <translation>Anteil der Zeitspanne jedes Geräts, ab seiner ersten Zeile.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows from the start of each device.</source>
        <translation>Zeilen ab dem Anfang jedes Geräts.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hours from each device&apos;s own first row (%1 s at least).</source>
        <translation>Stunden ab der ersten Zeile jedes Geräts (mindestens %1 s).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Trees:</source>
        <translation>&amp;Bäume:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sub&amp;sample size ψ:</source>
        <translation>St&amp;ichprobengröße ψ:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;eed:</source>
        <translation>S&amp;eed:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Normalisation:</source>
        <translation>&amp;Normierung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training s&amp;pan:</source>
        <translation>&amp;Trainingszeitraum:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Span &amp;length:</source>
        <translation>&amp;Umfang:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Trailing mean of each device&apos;s last K scores, against flickering alarms on noisy channels. 1 = off.</source>
        <translation>Gleitender Mittelwert der letzten K Scores jedes Geräts, gegen flackernde Alarme auf verrauschten Kanälen. 1 = aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>A row is flagged only when the score stayed at or above the threshold for the last S seconds. 0 = off.</source>
        <translation>Eine Zeile wird nur markiert, wenn der Score in den letzten S Sekunden durchgehend auf oder über der Schwelle lag. 0 = aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+38"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>From labels when the data has them</source>
        <translation>Aus Labels, wenn die Daten welche haben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Always label-free</source>
        <translation>Immer labelfrei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>With labels, the threshold with the highest recall at the minimum precision is chosen. Label-free, it comes from the training span&apos;s scores only, so it never depends on the rows it is evaluated on. Without labels the rule is always label-free.</source>
        <translation>Mit Labels wird die Schwelle mit der höchsten Trefferquote bei der Mindestpräzision gewählt. Labelfrei ergibt sie sich nur aus den Scores des Trainingszeitraums und hängt so nie von den Zeilen ab, auf denen bewertet wird. Ohne Labels gilt immer die labelfreie Regel.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Label-based rule: the highest recall among thresholds reaching this precision (else the best F1).</source>
        <translation>Labelbasierte Regel: die höchste Trefferquote unter den Schwellen, die diese Präzision erreichen (sonst der beste F1-Wert).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quantile of the training scores</source>
        <translation>Quantil der Trainings-Scores</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training maximum × margin</source>
        <translation>Trainingsmaximum × Faktor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How the label-free rule turns the training span&apos;s scores into a threshold.</source>
        <translation>Wie die labelfreie Regel aus den Scores des Trainingszeitraums eine Schwelle bildet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quantile q of the training span&apos;s normal scores (%1–%2).</source>
        <translation>Quantil q der normalen Scores des Trainingszeitraums (%1–%2).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The highest training score times this margin (%1–%2).</source>
        <translation>Der höchste Trainings-Score mal diesem Faktor (%1–%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>× </source>
        <translation>× </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Score s&amp;moothing:</source>
        <translation>Score-&amp;Glättung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Minimum &amp;alarm duration:</source>
        <translation>Mindest&amp;alarmdauer:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thres&amp;hold:</source>
        <translation>Sc&amp;hwelle:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Minimum p&amp;recision:</source>
        <translation>Mindest&amp;präzision:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label-&amp;free rule:</source>
        <translation>&amp;Labelfreie Regel:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quantile q:</source>
        <translation>&amp;Quantil q:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marg&amp;in:</source>
        <translation>Fa&amp;ktor:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detection</source>
        <translation>Erkennung</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Re-alarm window: an incident of a device that raises again this soon after it cleared is reopened instead of annunciated anew. Overrides the rules file&apos;s cooldown_s.</source>
        <translation>Wiederalarmfenster: Ein Vorfall eines Geräts, der so bald nach seinem Ende erneut ausgelöst wird, wird wieder geöffnet statt neu gemeldet. Ersetzt cooldown_s der Regeldatei.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Built-in rules</source>
        <translation>Eingebaute Regeln</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert rules JSON (layout as resources/alert_rules.json); empty for the built-in rules.</source>
        <translation>Alarmregeln als JSON (Aufbau wie resources/alert_rules.json); leer für die eingebauten Regeln.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Who acknowledges, shelves, notes and judges alarms in this console: recorded with every action in the alarm journal. The operating system&apos;s user by default.</source>
        <translation>Wer in dieser Konsole Alarme quittiert, zurückstellt, kommentiert und bewertet: wird mit jeder Aktion im Alarmjournal gespeichert. Standardmäßig der Benutzer des Betriebssystems.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Cooldown:</source>
        <translation>Abkling&amp;zeit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;ules file:</source>
        <translation>&amp;Regeldatei:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Operator name:</source>
        <translation>Bediener&amp;name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language of the console; System follows the desktop&apos;s locale.</source>
        <translation>Sprache der Konsole; „System“ folgt der Spracheinstellung des Desktops.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Applies the next time the console starts.</source>
        <translation>Gilt ab dem nächsten Start der Konsole.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lan&amp;guage:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settings apply to the next simulation, database or import that is analysed.</source>
        <translation>Die Einstellungen gelten ab der nächsten Simulation, Datenbank oder dem nächsten Import, die analysiert werden.</translation>
    </message>
    <message>
        <location line="+134"/>
        <location line="+26"/>
        <source>Alert rules: %1</source>
        <translation>Alarmregeln: %1</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Alert rules file</source>
        <translation>Alarmregeldatei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>JSON-Dateien (*.json);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>itap::ShelveDialog</name>
    <message>
        <location filename="../ui/shelve_dialog.cpp" line="+27"/>
        <source>Shelve alarms</source>
        <translation>Alarme zurückstellen</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Until a date and time</source>
        <translation>Bis zu einem Zeitpunkt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Why the alarm is silenced (required)</source>
        <translation>Warum der Alarm stummgeschaltet wird (erforderlich)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Shelve for</source>
        <translation>Zurückstellen für</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Until (UTC)</source>
        <translation>Bis (UTC)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shelve</source>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>A reason is required: it is recorded in the alarm journal.</source>
        <translation>Ein Grund ist erforderlich: Er wird im Alarmjournal gespeichert.</translation>
    </message>
</context>
<context>
    <name>itap::SimulateDialog</name>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="+77"/>
        <source>Overheat drift (temperature)</source>
        <translation>Überhitzungsdrift (Temperatur)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bearing wear (vibration, RPM)</source>
        <translation>Lagerverschleiß (Vibration, Drehzahl)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Power spikes (voltage, current)</source>
        <translation>Spannungsspitzen (Spannung, Strom)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sensor dropouts (missing or stuck)</source>
        <translation>Sensorausfälle (fehlend oder eingefroren)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Simulate fleet</source>
        <translation>Flotte simulieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>× </source>
        <translation>× </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multiplies the rate of every fault type (1 = the default profile).</source>
        <translation>Multipliziert die Rate jedes Fehlertyps (1 = Standardprofil).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Devices:</source>
        <translation>&amp;Geräte:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uration:</source>
        <translation>&amp;Dauer:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sampling &amp;interval:</source>
        <translation>Abtast&amp;intervall:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Seed:</source>
        <translation>&amp;Startwert:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fault &amp;rate:</source>
        <translation>Fehler&amp;rate:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Injected faults</source>
        <translation>Eingespeiste Fehler</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New database</source>
        <translation>Neue Datenbank</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Run pipeline</source>
        <translation>Pipeline &amp;starten</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>New fleet database</source>
        <translation>Neue Flotten-Datenbank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQLite databases (*.db *.sqlite);;All files (*)</source>
        <translation>SQLite-Datenbanken (*.db *.sqlite);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>≈ %1 telemetry rows</source>
        <translation>≈ %1 Telemetriezeilen</translation>
    </message>
</context>
</TS>
