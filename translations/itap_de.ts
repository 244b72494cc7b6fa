<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>cli</name>
    <message>
        <location filename="../app/cli/cli_common.cpp" line="29" />
        <source>Show this help and exit.</source>
        <translation>Diese Hilfe anzeigen und beenden.</translation>
    </message>
</context>
<context>
    <name>itap::AlertListModel</name>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="121" />
        <source>%1 on %2
from %3 to %4, peak %5 (score %6)
%7</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="124" />
        <source>No suggested action.</source>
        <translation>Keine empfohlene Maßnahme.</translation>
    </message>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="149" />
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="151" />
        <source>Start (UTC)</source>
        <translation>Beginn (UTC)</translation>
    </message>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="153" />
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="155" />
        <source>Cause</source>
        <translation>Ursache</translation>
    </message>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="157" />
        <source>Confidence</source>
        <translation>Konfidenz</translation>
    </message>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="159" />
        <source>Peak score</source>
        <translation>Höchster Score</translation>
    </message>
    <message>
        <location filename="../ui/models/alert_list_model.cpp" line="161" />
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
</context>
<context>
    <name>itap::AlertsPanel</name>
    <message>
        <location filename="../ui/alerts_panel.cpp" line="75" />
        <source>All severities</source>
        <translation>Alle Schweregrade</translation>
    </message>
    <message>
        <location filename="../ui/alerts_panel.cpp" line="76" />
        <source>Warning and above</source>
        <translation>Ab Warnung</translation>
    </message>
    <message>
        <location filename="../ui/alerts_panel.cpp" line="77" />
        <source>Critical only</source>
        <translation>Nur kritisch</translation>
    </message>
    <message>
        <location filename="../ui/alerts_panel.cpp" line="84" />
        <source>Search alerts…</source>
        <translation>Alarme durchsuchen…</translation>
    </message>
    <message>
        <location filename="../ui/alerts_panel.cpp" line="304" />
        <source>All devices</source>
        <translation>Alle Geräte</translation>
    </message>
    <message>
        <location filename="../ui/alerts_panel.cpp" line="305" />
        <source>All causes</source>
        <translation>Alle Ursachen</translation>
    </message>
    <message>
        <location filename="../ui/alerts_panel.cpp" line="315" />
        <source>%1 of %2 alerts</source>
        <translation>%1 von %2 Alarmen</translation>
    </message>
</context>
<context>
    <name>itap::DeviceLeaderboard</name>
    <message>
        <location filename="../ui/device_leaderboard.cpp" line="26" />
        <source>Filter devices…</source>
        <translation>Geräte filtern…</translation>
    </message>
</context>
<context>
    <name>itap::DeviceSummaryModel</name>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="63" />
        <source>—</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="64" />
        <source>%1 (%2 %)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="101" />
        <source>%1 %2 %</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="102" />
        <source>%1: %2 of %3 rows flagged</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="106" />
        <source>
flagged from %1 to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="110" />
        <source>
families: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="129" />
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="131" />
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="133" />
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="135" />
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="137" />
        <source>Mean</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="139" />
        <source>P95</source>
        <translation>P95</translation>
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="141" />
        <source>Max</source>
        <translation>Max</translation>
    </message>
    <message>
        <location filename="../ui/models/device_summary_model.cpp" line="143" />
        <source>Dominant family</source>
        <translation>Dominante Familie</translation>
    </message>
</context>
<context>
    <name>itap::DeviceView</name>
    <message>
        <location filename="../ui/device_view.cpp" line="210" />
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="212" />
        <source>Drag to zoom, wheel to zoom, Shift+drag or middle drag to pan, right click or double click to reset.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="215" />
        <source>No device selected. Pick a device in the leaderboard.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="433" />
        <source>%1 — %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="434" />
        <source>%1 — %2 (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="485" />
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="488" />
        <source>score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="493" />
        <source>threshold %1</source>
        <translation>Schwelle %1</translation>
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="501" />
        <source>flagged (%1)</source>
        <translation>markiert (%1)</translation>
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="576" />
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp;·&amp;nbsp; %2 rows &amp;nbsp;·&amp;nbsp; %3 → %4 UTC &amp;nbsp;·&amp;nbsp; %5 flagged at threshold %6</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="594" />
        <source>Fault episodes (ground truth): %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="598" />
        <source>State: %1</source>
        <translation>Zustand: %1</translation>
    </message>
    <message>
        <location filename="../ui/device_view.cpp" line="599" />
        <source>%1 flagged row (click a marker to explain it)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>itap::EvaluationPanel</name>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="154" />
        <source>Back to selected</source>
        <translation>Zurück zur gewählten</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="155" />
        <source>Return to the threshold the evaluation rule selected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="158" />
        <source>Score threshold:</source>
        <translation>Score-Schwelle:</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="164" />
        <location filename="../ui/evaluation_panel.cpp" line="192" />
        <location filename="../ui/evaluation_panel.cpp" line="208" />
        <source>Precision</source>
        <translation>Präzision</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="165" />
        <location filename="../ui/evaluation_panel.cpp" line="192" />
        <location filename="../ui/evaluation_panel.cpp" line="209" />
        <source>Recall</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="166" />
        <location filename="../ui/evaluation_panel.cpp" line="209" />
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="167" />
        <source>Flagged rows</source>
        <translation>Markierte Zeilen</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="168" />
        <location filename="../ui/evaluation_panel.cpp" line="189" />
        <source>False-positive rate</source>
        <translation>Falsch-Positiv-Rate</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="169" />
        <source>Fault episodes caught</source>
        <translation>Erkannte Fehlerepisoden</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="189" />
        <source>Recall (true-positive rate)</source>
        <translation>Trefferquote (Richtig-Positiv-Rate)</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="202" />
        <source>No ground truth: the data carries no fault labels, so ROC and precision–recall curves cannot be drawn. The sweep below still shows how many rows each threshold flags.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="208" />
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="208" />
        <source>Percentile</source>
        <translation>Perzentil</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="208" />
        <source>Flagged</source>
        <translation>Markiert</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="209" />
        <source>FPR</source>
        <translation>FPR</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="223" />
        <source>Recall per fault type at the threshold</source>
        <translation>Trefferquote je Fehlertyp an der Schwelle</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="233" />
        <source>No ground truth: per-fault recall needs fault labels.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="239" />
        <source>&lt;b&gt;Threshold sweep&lt;/b&gt; (double-click a row to use its threshold)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="288" />
        <source>No fleet analysed yet.</source>
        <translation>Noch keine Flotte analysiert.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="308" />
        <source>Preparing the score index…</source>
        <translation>Score-Index wird vorbereitet…</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="320" />
        <source>Cannot evaluate these scores: %1</source>
        <translation>Diese Scores können nicht ausgewertet werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="328" />
        <source>&lt;b&gt;%1&lt;/b&gt; evaluated rows (training span left out) · selected threshold &lt;b&gt;%2&lt;/b&gt; (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="332" />
        <source> · ROC-AUC &lt;b&gt;%1&lt;/b&gt; · PR-AUC &lt;b&gt;%2&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="336" />
        <source> · &lt;b&gt;no ground truth&lt;/b&gt;: precision and recall are unknown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="385" />
        <source>Cannot evaluate at %1: %2</source>
        <translation>Auswertung bei %1 nicht möglich: %2</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="392" />
        <source>no ground truth</source>
        <translation>keine Ground Truth</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="398" />
        <source>%1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="409" />
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="447" />
        <source>ROC curve — AUC %1</source>
        <translation>ROC-Kurve — AUC %1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="448" />
        <source>Precision–recall curve — AP %1</source>
        <translation>Präzision-Trefferquote-Kurve — AP %1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="495" />
        <source>Row recall</source>
        <translation>Zeilen-Trefferquote</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="497" />
        <source>Event recall (episode caught)</source>
        <translation>Ereignis-Trefferquote (Episode erkannt)</translation>
    </message>
    <message>
        <location filename="../ui/evaluation_panel.cpp" line="532" />
        <source>%1 %</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>itap::ExplanationView</name>
    <message>
        <location filename="../ui/explanation_view.cpp" line="91" />
        <source>Select an alert to see why it was raised.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="94" />
        <source>Top features — share of the anomaly score</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="99" />
        <source>Sensor families</source>
        <translation>Sensorfamilien</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="180" />
        <source>%1&lt;b&gt;%2&lt;/b&gt; &amp;nbsp;·&amp;nbsp; %3 UTC &amp;nbsp;·&amp;nbsp; %4 &amp;nbsp;·&amp;nbsp; score %5</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="190" />
        <location filename="../ui/explanation_view.cpp" line="201" />
        <source>Cause</source>
        <translation>Ursache</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="191" />
        <source>Confidence</source>
        <translation>Konfidenz</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="193" />
        <source>%1 %</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="194" />
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="195" />
        <source>Action</source>
        <translation>Maßnahme</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="196" />
        <source>No suggested action.</source>
        <translation>Keine empfohlene Maßnahme.</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="197" />
        <source>Alert span</source>
        <translation>Alarmzeitraum</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/explanation_view.cpp" line="198" />
        <source>%1 → %2 UTC, %n flagged row(s)</source>
        <translation type="unfinished">
            <numerusform />
            <numerusform />
        </translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="201" />
        <source>(no alert selected: the row's attribution only)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="205" />
        <source>Ground truth</source>
        <translation>Ground Truth</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="205" />
        <source>normal row</source>
        <translation>normale Zeile</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="212" />
        <source>Loading the traces of %1…</source>
        <translation>Verläufe von %1 werden geladen…</translation>
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="227" />
        <location filename="../ui/explanation_view.cpp" line="243" />
        <source>%1  %2 %</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/explanation_view.cpp" line="259" />
        <source>No telemetry stored for %1.</source>
        <translation>Für %1 sind keine Telemetriedaten gespeichert.</translation>
    </message>
</context>
<context>
    <name>itap::FleetOverview</name>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="72" />
        <location filename="../ui/fleet_overview.cpp" line="160" />
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="74" />
        <source>Telemetry rows</source>
        <translation>Telemetriezeilen</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="76" />
        <source>Flagged rows</source>
        <translation>Markierte Zeilen</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="78" />
        <source>Devices affected</source>
        <translation>Betroffene Geräte</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="80" />
        <source>Critical alerts</source>
        <translation>Kritische Alarme</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="82" />
        <source>Warning alerts</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="84" />
        <source>Info alerts</source>
        <translation>Info-Alarme</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="86" />
        <source>Systemic patterns</source>
        <translation>Systemische Muster</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="88" />
        <source>Score threshold</source>
        <translation>Score-Schwelle</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="149" />
        <source>Anomaly score distribution</source>
        <translation>Verteilung der Anomalie-Scores</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="152" />
        <source>Family mix of flagged rows</source>
        <translation>Familienanteile markierter Zeilen</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="160" />
        <source>Pattern</source>
        <translation>Muster</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="160" />
        <source>Verdict</source>
        <translation>Befund</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="160" />
        <source>At once</source>
        <translation>Gleichzeitig</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="161" />
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="161" />
        <source>Highest</source>
        <translation>Höchster</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="161" />
        <source>Span (UTC)</source>
        <translation>Zeitraum (UTC)</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="169" />
        <source>&lt;b&gt;Fleet patterns&lt;/b&gt; — systemic: several devices, same family, same time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="171" />
        <source>No fleet loaded. Use File ▸ Simulate fleet… or File ▸ Open database…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="209" />
        <source>%1 % of all rows</source>
        <translation>%1 % aller Zeilen</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="211" />
        <source>of %1 devices</source>
        <translation>von %1 Geräten</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="213" />
        <source>%1 alerts in total</source>
        <translation>%1 Alarme insgesamt</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="217" />
        <source>of %1 patterns</source>
        <translation>von %1 Mustern</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="241" />
        <source>Below threshold</source>
        <translation>Unter der Schwelle</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="242" />
        <source>Flagged (≥ threshold)</source>
        <translation>Markiert (≥ Schwelle)</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="268" />
        <source>Anomaly score</source>
        <translation>Anomalie-Score</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="280" />
        <source>Rows (log scale)</source>
        <translation>Zeilen (log. Skala)</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="285" />
        <source>Threshold %1</source>
        <translation>Schwelle %1</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="302" />
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="329" />
        <source>Share of the anomaly score</source>
        <translation>Anteil am Anomalie-Score</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="339" />
        <source>SYSTEMIC</source>
        <translation>SYSTEMISCH</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="339" />
        <source>isolated</source>
        <translation>isoliert</translation>
    </message>
    <message>
        <location filename="../ui/fleet_overview.cpp" line="347" />
        <source>%1 → %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>itap::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="74" />
        <source>ITAP Console</source>
        <translation>ITAP-Konsole</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="93" />
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="94" />
        <source>Pipeline failed</source>
        <translation>Pipeline fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="98" />
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="103" />
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="139" />
        <source>The device view is not part of this build.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="146" />
        <source>The evaluation panel is not part of this build.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171" />
        <source>Fleet overview</source>
        <translation>Flottenübersicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="172" />
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="173" />
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="174" />
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="182" />
        <source>Device leaderboard</source>
        <translation>Geräte-Rangliste</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="191" />
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="192" />
        <source>&amp;Simulate fleet…</source>
        <translation>Flotte &amp;simulieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="194" />
        <source>&amp;Open database…</source>
        <translation>Datenbank ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="196" />
        <source>&amp;Import telemetry CSV…</source>
        <translation>Telemetrie-CSV &amp;importieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="197" />
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="198" />
        <source>&amp;Export artifacts…</source>
        <translation>Artefakte &amp;exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="199" />
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="202" />
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="206" />
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="207" />
        <source>&amp;Fleet overview</source>
        <translation>&amp;Flottenübersicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="207" />
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="208" />
        <source>&amp;Evaluation</source>
        <translation>A&amp;uswertung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="208" />
        <source>&amp;Alerts</source>
        <translation>A&amp;larme</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="215" />
        <source>Device &amp;leaderboard</source>
        <translation>Geräte-&amp;Rangliste</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="216" />
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="219" />
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="220" />
        <source>&amp;About ITAP Console</source>
        <translation>&amp;Über die ITAP-Konsole</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="222" />
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="226" />
        <source>No database</source>
        <translation>Keine Datenbank</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="228" />
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="235" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="236" />
        <source>Stop the running stage; stored data stays as it was before the stage.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="306" />
        <source>A pipeline is already running.</source>
        <translation>Eine Pipeline läuft bereits.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="310" />
        <location filename="../ui/main_window.cpp" line="348" />
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="352" />
        <source>%1 rows · %2 devices</source>
        <translation>%1 Zeilen · %2 Geräte</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="355" />
        <location filename="../ui/main_window.cpp" line="418" />
        <source>Ready — threshold %1</source>
        <translation>Bereit — Schwelle %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="385" />
        <source>Alerts (%1)</source>
        <translation>Alarme (%1)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="402" />
        <source>Re-deriving alerts at threshold %1…</source>
        <translation>Alarme werden bei Schwelle %1 neu berechnet…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="499" />
        <source>Device %1</source>
        <translation>Gerät %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="519" />
        <source>Open telemetry database</source>
        <translation>Telemetrie-Datenbank öffnen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="520" />
        <location filename="../ui/main_window.cpp" line="534" />
        <source>SQLite databases (*.db *.sqlite);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="526" />
        <source>Import telemetry CSV</source>
        <translation>Telemetrie-CSV importieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="527" />
        <source>Telemetry CSV (*.csv);;All files (*)</source>
        <translation>Telemetrie-CSV (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="532" />
        <source>Database to ingest into (existing or new)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="544" />
        <source>Export artifacts to</source>
        <translation>Artefakte exportieren nach</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="548" />
        <source>Exporting artifacts…</source>
        <translation>Artefakte werden exportiert…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="557" />
        <location filename="../ui/main_window.cpp" line="558" />
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="561" />
        <source>Exported %1 files to %2</source>
        <translation>%1 Dateien nach %2 exportiert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="569" />
        <source>About ITAP Console</source>
        <translation>Über die ITAP-Konsole</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="570" />
        <source>&lt;h3&gt;ITAP Console %1&lt;/h3&gt;&lt;p&gt;Industrial Telemetry Analytics Platform: detects, explains, aggregates and alerts on anomalous behaviour in machine telemetry.&lt;/p&gt;&lt;p&gt;Git commit: &lt;tt&gt;%2&lt;/tt&gt;&lt;br&gt;Qt %3&lt;/p&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="574" />
        <source>(development build)</source>
        <translation>(Entwicklungsversion)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="575" />
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>itap::PipelineController</name>
    <message>
        <location filename="../ui/pipeline_controller.cpp" line="191" />
        <source>Starting…</source>
        <translation>Start…</translation>
    </message>
    <message>
        <location filename="../ui/pipeline_controller.cpp" line="236" />
        <source>The pipeline stopped unexpectedly.</source>
        <translation>Die Pipeline wurde unerwartet beendet.</translation>
    </message>
</context>
<context>
    <name>itap::ScreenshotSession</name>
    <message>
        <location filename="../ui/screenshot.cpp" line="44" />
        <source>cannot create the directory %1</source>
        <translation>Verzeichnis %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location filename="../ui/screenshot.cpp" line="46" />
        <source>cannot create a temporary directory</source>
        <translation>temporäres Verzeichnis kann nicht angelegt werden</translation>
    </message>
    <message>
        <location filename="../ui/screenshot.cpp" line="53" />
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../ui/screenshot.cpp" line="62" />
        <source>the pipeline did not start</source>
        <translation>die Pipeline ist nicht gestartet</translation>
    </message>
    <message>
        <location filename="../ui/screenshot.cpp" line="106" />
        <source>%1 screenshots written to %2</source>
        <translation>%1 Screenshots nach %2 geschrieben</translation>
    </message>
    <message>
        <location filename="../ui/screenshot.cpp" line="139" />
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>itap::SimulateDialog</name>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="77" />
        <source>Overheat drift (temperature)</source>
        <translation>Überhitzungsdrift (Temperatur)</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="79" />
        <source>Bearing wear (vibration, RPM)</source>
        <translation>Lagerverschleiß (Vibration, Drehzahl)</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="81" />
        <source>Power spikes (voltage, current)</source>
        <translation>Spannungsspitzen (Spannung, Strom)</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="83" />
        <source>Sensor dropouts (missing or stuck)</source>
        <translation>Sensorausfälle (fehlend oder eingefroren)</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="98" />
        <source>Simulate fleet</source>
        <translation>Flotte simulieren</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="101" />
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="102" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="109" />
        <source>× </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="110" />
        <source>Multiplies the rate of every fault type (1 = the default profile).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="113" />
        <source>&amp;Devices:</source>
        <translation>&amp;Geräte:</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="114" />
        <source>D&amp;uration:</source>
        <translation>&amp;Dauer:</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="115" />
        <source>Sampling &amp;interval:</source>
        <translation>Abtast&amp;intervall:</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="116" />
        <source>&amp;Seed:</source>
        <translation>&amp;Startwert:</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="120" />
        <source>Fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="131" />
        <source>Fault &amp;rate:</source>
        <translation>Fehler&amp;rate:</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="133" />
        <source>Injected faults</source>
        <translation>Eingespeiste Fehler</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="138" />
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="142" />
        <source>New database</source>
        <translation>Neue Datenbank</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="146" />
        <source>&amp;Run pipeline</source>
        <translation>Pipeline &amp;starten</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="199" />
        <source>New fleet database</source>
        <translation>Neue Flotten-Datenbank</translation>
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="200" />
        <source>SQLite databases (*.db *.sqlite);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../ui/simulate_dialog.cpp" line="207" />
        <source>≈ %1 telemetry rows</source>
        <translation>≈ %1 Telemetriezeilen</translation>
    </message>
</context>
</TS>