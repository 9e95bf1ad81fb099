/* qala — the front end of the report and the dashboard. It renders one data object
 * (docs/report-data.md): window.QALA_DATA when the page carries it (`qala report`), else
 * fetched from the server (GET api/report, `qala serve`). Every label comes from the
 * message tables below (kk, ru, en); names of units, groups, indicators and domains come
 * from the data in the three languages; numbers are formatted for the language. Charts
 * are ECharts (SVG renderer, so that printing to PDF stays sharp). The data behind each
 * chart and table can be downloaded as CSV (a Blob: nothing leaves the page).
 * Served (the data were fetched, not inlined), the page is the live dashboard: it adds
 * an upload form (POST api/import) and a note form on each passport (POST
 * api/annotations), both with a bearer token typed in by the user, and reloads the data
 * after a write. The offline report has neither.
 */
(function () {
  'use strict';

  /* ---- messages ------------------------------------------------------------------- */
  const MSG = {
    en: {
      title: 'Socio-economic development of cities', lang: 'Language', print: 'Print / PDF',
      generated: 'Generated', data_db: 'data: database', data_embedded: 'data: the embedded demo statistics (no database)',
      period: 'Period', at: 'Typology as of', no_data: 'no data', download: 'Download the data (CSV)',
      s_typology: 'Typology', s_scoreboard: 'Threshold scoreboard', s_alerts: 'Alerts', s_categories: 'Monotown categories',
      s_index: 'Composite index', s_ineq: 'Differentiation', s_passports: 'City passports', s_method: 'Methodology',
      s_quality: 'Data quality',
      q_intro: "The checks of 'qala check' over every observation: declared ranges, accounting identities, jumps against a unit's own history and its peers, outliers among peers, repeated values, Benford's law for counts, missing series. A finding is a question for the statistics office, not a verdict; hover a row for the full message (in English).",
      q_rule: 'Check', q_evaluated: 'Cases examined', q_errors: 'Errors', q_warnings: 'Warnings', q_severity: 'Severity',
      q_statistic: 'Statistic', q_none: 'No findings.', q_shown: 'Shown', q_of: 'of', q_findings: 'Findings',
      q_benford: "Benford's law (first digits of count indicators across units)", q_n: 'Values', q_span: 'Orders of magnitude',
      q_p: 'p-value', q_tested: 'Tested', q_yes: 'yes', q_no: 'no',
      r_range: 'Declared range', r_identity: 'Accounting identity', r_jump: 'Jump', 'r_peer-outlier': 'Outlier among peers',
      r_repeated: 'Repeated value', r_benford: "Benford's law", 'r_missing-series': 'Missing series',
      sev_error: 'error', sev_warning: 'warning',
      fig1: 'Figure 1 — groups of cities', table1: 'Table 1 — monocities by region', group: 'Group', members: 'Cities',
      count: 'Count', region: 'Region', unit: 'Unit', city: 'City', map: 'Map of the typology',
      map_note: 'Region outlines: Natural Earth admin-1 (public domain), pre-2018 layout — they do not show Shymkent, Turkistan, Abai, Zhetisu or Ulytau as they are now. Cities are placed by their coordinates.',
      indicator: 'Indicator', value: 'Value', transformed: 'Compared value', zone: 'Zone', trend: 'Trend', status: 'Status',
      national: 'National', threshold: 'Threshold', warning_at: 'Warning at', crisis_at: 'Crisis at', source: 'Source',
      confidence: 'Confidence', justification: 'Why', set: 'Set', transform: 'Transform', side: 'Bad side',
      z_no_data: 'no data', z_normal: 'normal', z_warning: 'warning', z_crisis: 'crisis',
      t_none: '', t_improving: 'improving', t_stable: 'stable', t_worsening: 'worsening',
      st_none: '', st_new: 'new', st_persistent: 'persistent', st_aggravating: 'aggravating', st_unwinding: 'unwinding',
      heat_note: 'Each cell is one unit against one threshold in the period: colour and symbol give the zone (● normal, ▲ warning, ✖ crisis, – no data), the arrow the trend (↗ improving, → stable, ↘ worsening).',
      no_alerts: 'No breach in this period.', category: 'Category', reasons: 'Rules that fired', rules: 'Rules',
      cat_1: '1 — most difficult', cat_2: '2 — at risk', cat_3: '3 — stable', cat_0: 'no data',
      eligibility: 'eligibility', category_1: 'category 1', category_2: 'category 2', description: 'Description',
      rank: 'Rank', score: 'Score', spec: 'Index', weight: 'Weight', eff_weight: 'Effective weight', level: 'Level',
      screened: 'Indicators left out', screen_no_column: 'no data', screen_low_availability: 'low availability',
      screen_too_many_zeros: 'too many zeros', not_ranked: 'Units without a score', availability: 'availability',
      sensitivity_none: 'No sensitivity results are stored: ranks are shown without intervals.',
      gini: 'Gini', theil_t: 'Theil T', theil_l: 'Theil L', cv: 'CV', within: 'within', between: 'between',
      ineq_note: 'First-level units (regions and the cities of republican significance), weighted by population; the Theil T index split into inequality within and between the two kinds (regions, cities).',
      sigma: 'σ-convergence (CV, balanced panel)', converging: 'converging', diverging: 'diverging', slope: 'slope per year',
      half_units: 'Periods in which fewer than half of the units have a value and a population are left out of the charts (they are in the CSV).',
      beta: 'β-convergence', half_life: 'half-life, years', units_n: 'units',
      choose_city: 'City', names: 'Names', groups: 'Groups', region_history: 'Region over time', evaluations: 'Indicators against thresholds',
      series: 'Series', strengths: 'Strengths', weaknesses: 'Weaknesses', annotations: 'Analyst notes', directions: 'Priority policy directions',
      directions_none: 'No domain is in breach: no priority direction follows from the thresholds.',
      from: 'from', to: 'to', official: 'official', alias: 'alias', since_always: '…', still: 'now',
      strengths_note: 'best and worst ranks among the index indicators', verdict: 'Verdict', note: 'Note', author: 'Author',
      framework: 'Indicator framework', domain: 'Domain', direction: 'Direction', higher_better: 'higher is better', lower_better: 'lower is better',
      thresholds: 'Threshold set', index_spec: 'Index specification', data_sources: 'Data sources and import batches',
      batch: 'Batch', file: 'File', imported_at: 'Imported', sha256: 'SHA-256', inserted: 'new', revised: 'revised',
      sens_title: 'Rank intervals', sens_interval: '5–95% interval', median_rank: 'Median rank', nominal_rank: 'Nominal rank',
      sens_note: 'Uncertainty analysis of the index: {runs} runs, seed {seed}; weights ±25% at every level below the index and min-max vs z-score normalisation. The bar spans the 5–95% ranks over the runs, the dot is the median rank, the diamond the rank shown in the ranking.',
      seeds_sens: 'Random seed of the rank intervals: {seed} ({runs} runs; the same seed gives the same intervals).', factors: 'Uncertain factors',
      seeds: 'Random seeds: none — nothing random was run for this report.', monitor_params: 'Trend over the last {k} periods; stable within ±{tol}% a period.',
      kind_city: 'city', kind_region: 'region', kind_country: 'country', source_files: 'Source notes', observations: 'observations', method: 'Method', kind: 'Kind', all_cities: 'All cities'
    },
    ru: {
      title: 'Социально-экономическое развитие городов', lang: 'Язык', print: 'Печать / PDF',
      generated: 'Создан', data_db: 'данные: база данных', data_embedded: 'данные: встроенная демонстрационная статистика (нет базы данных)',
      period: 'Период', at: 'Типология на дату', no_data: 'нет данных', download: 'Скачать данные (CSV)',
      s_typology: 'Типология', s_scoreboard: 'Пороговые значения', s_alerts: 'Сигналы', s_categories: 'Категории моногородов',
      s_index: 'Композитный индекс', s_ineq: 'Дифференциация', s_passports: 'Паспорта городов', s_method: 'Методология',
      s_quality: 'Качество данных',
      q_intro: 'Проверки «qala check» по всем наблюдениям: заявленные диапазоны, балансовые тождества, скачки относительно собственной истории единицы и сопоставимых единиц, выбросы среди сопоставимых, повторяющиеся значения, закон Бенфорда для счётных показателей, пропущенные ряды. Находка — вопрос к органу статистики, а не приговор; полный текст (на английском) — при наведении на строку.',
      q_rule: 'Проверка', q_evaluated: 'Проверено случаев', q_errors: 'Ошибки', q_warnings: 'Предупреждения', q_severity: 'Серьёзность',
      q_statistic: 'Статистика', q_none: 'Находок нет.', q_shown: 'Показано', q_of: 'из', q_findings: 'Находки',
      q_benford: 'Закон Бенфорда (первые цифры счётных показателей по единицам)', q_n: 'Значений', q_span: 'Порядков величины',
      q_p: 'p-значение', q_tested: 'Проверено', q_yes: 'да', q_no: 'нет',
      r_range: 'Заявленный диапазон', r_identity: 'Балансовое тождество', r_jump: 'Скачок', 'r_peer-outlier': 'Выброс среди сопоставимых',
      r_repeated: 'Повторяющееся значение', r_benford: 'Закон Бенфорда', 'r_missing-series': 'Пропущенный ряд',
      sev_error: 'ошибка', sev_warning: 'предупреждение',
      fig1: 'Рисунок 1 — группы городов', table1: 'Таблица 1 — моногорода по областям', group: 'Группа', members: 'Города',
      count: 'Количество', region: 'Область', unit: 'Территория', city: 'Город', map: 'Карта типологии',
      map_note: 'Границы областей: Natural Earth admin-1 (общественное достояние), деление до 2018 года — без нынешних Шымкента, Туркестанской, Абайской, Жетысуской и Улытауской областей. Города нанесены по координатам.',
      indicator: 'Показатель', value: 'Значение', transformed: 'Сравниваемое значение', zone: 'Зона', trend: 'Тренд', status: 'Статус',
      national: 'По стране', threshold: 'Порог', warning_at: 'Порог предупреждения', crisis_at: 'Порог кризиса', source: 'Источник',
      confidence: 'Надёжность', justification: 'Обоснование', set: 'Набор', transform: 'Преобразование', side: 'Плохая сторона',
      z_no_data: 'нет данных', z_normal: 'норма', z_warning: 'предупреждение', z_crisis: 'кризис',
      t_none: '', t_improving: 'улучшается', t_stable: 'стабильно', t_worsening: 'ухудшается',
      st_none: '', st_new: 'новое', st_persistent: 'устойчивое', st_aggravating: 'усугубляется', st_unwinding: 'ослабевает',
      heat_note: 'Каждая клетка — территория и порог в периоде: цвет и знак показывают зону (● норма, ▲ предупреждение, ✖ кризис, – нет данных), стрелка — тренд (↗ улучшается, → стабильно, ↘ ухудшается).',
      no_alerts: 'В этом периоде нарушений нет.', category: 'Категория', reasons: 'Сработавшие правила', rules: 'Правила',
      cat_1: '1 — наиболее сложное положение', cat_2: '2 — риск ухудшения', cat_3: '3 — стабильное положение', cat_0: 'нет данных',
      eligibility: 'отнесение', category_1: 'категория 1', category_2: 'категория 2', description: 'Описание',
      rank: 'Место', score: 'Оценка', spec: 'Индекс', weight: 'Вес', eff_weight: 'Эффективный вес', level: 'Уровень',
      screened: 'Исключённые показатели', screen_no_column: 'нет данных', screen_low_availability: 'мало данных',
      screen_too_many_zeros: 'слишком много нулей', not_ranked: 'Территории без оценки', availability: 'доля данных',
      sensitivity_none: 'Результатов анализа чувствительности нет: места показаны без интервалов.',
      gini: 'Джини', theil_t: 'Тейл T', theil_l: 'Тейл L', cv: 'КВ', within: 'внутри', between: 'между',
      ineq_note: 'Единицы первого уровня (области и города республиканского значения), взвешенные по численности населения; индекс Тейла T разложен на неравенство внутри и между двумя видами (области, города).',
      sigma: 'σ-конвергенция (КВ, сбалансированная панель)', converging: 'сближение', diverging: 'расхождение', slope: 'наклон в год',
      half_units: 'Периоды, в которых значение и численность населения есть меньше чем у половины единиц, на графиках не показаны (они есть в CSV).',
      beta: 'β-конвергенция', half_life: 'период полусхождения, лет', units_n: 'единиц',
      choose_city: 'Город', names: 'Названия', groups: 'Группы', region_history: 'История подчинения', evaluations: 'Показатели и пороги',
      series: 'Ряды', strengths: 'Сильные стороны', weaknesses: 'Слабые стороны', annotations: 'Заметки аналитика', directions: 'Приоритетные направления политики',
      directions_none: 'Ни одна сфера не нарушает пороги: приоритетных направлений из порогов не следует.',
      from: 'с', to: 'по', official: 'официальное', alias: 'другое', since_always: '…', still: 'н.в.',
      strengths_note: 'лучшие и худшие места среди показателей индекса', verdict: 'Оценка', note: 'Заметка', author: 'Автор',
      framework: 'Система показателей', domain: 'Сфера', direction: 'Направленность', higher_better: 'больше — лучше', lower_better: 'меньше — лучше',
      thresholds: 'Набор порогов', index_spec: 'Спецификация индекса', data_sources: 'Источники данных и импорты',
      batch: 'Импорт', file: 'Файл', imported_at: 'Загружен', sha256: 'SHA-256', inserted: 'новых', revised: 'изменено',
      sens_title: 'Интервалы мест', sens_interval: 'Интервал 5–95%', median_rank: 'Медианное место', nominal_rank: 'Номинальное место',
      sens_note: 'Анализ неопределённости индекса: {runs} прогонов, зерно {seed}; веса ±25% на каждом уровне ниже индекса и нормализация min-max или z-оценка. Отрезок — места от 5% до 95% по прогонам, точка — медианное место, ромб — место в рейтинге.',
      seeds_sens: 'Случайное зерно интервалов мест: {seed} ({runs} прогонов; то же зерно даёт те же интервалы).', factors: 'Неопределённые факторы',
      seeds: 'Случайные зёрна: нет — для этого отчёта ничего случайного не выполнялось.', monitor_params: 'Тренд по последним {k} периодам; стабильно в пределах ±{tol}% за период.',
      kind_city: 'город', kind_region: 'область', kind_country: 'страна', source_files: 'Описания источников', observations: 'наблюдений', method: 'Метод', kind: 'Вид', all_cities: 'Все города'
    },
    kk: {
      title: 'Қалалардың әлеуметтік-экономикалық дамуы', lang: 'Тіл', print: 'Басып шығару / PDF',
      generated: 'Жасалған күні', data_db: 'деректер: дерекқор', data_embedded: 'деректер: кіріктірілген демо статистика (дерекқор жоқ)',
      period: 'Кезең', at: 'Типология күні', no_data: 'деректер жоқ', download: 'Деректерді жүктеу (CSV)',
      s_typology: 'Типология', s_scoreboard: 'Шекті мәндер', s_alerts: 'Дабылдар', s_categories: 'Моноқалалар санаттары',
      s_index: 'Құрама индекс', s_ineq: 'Саралану', s_passports: 'Қалалар паспорттары', s_method: 'Әдістеме',
      s_quality: 'Деректер сапасы',
      q_intro: '«qala check» тексерулері барлық бақылаулар бойынша: мәлімделген ауқымдар, теңгерімдік тепе-теңдіктер, бірліктің өз тарихына және салыстырмалы бірліктерге қатысты секірістер, салыстырмалылар арасындағы ауытқулар, қайталанатын мәндер, санақ көрсеткіштері үшін Бенфорд заңы, жетіспейтін қатарлар. Табылған жағдай — статистика органына қойылатын сұрақ, үкім емес; толық мәтін (ағылшынша) жолдың үстіне апарғанда көрінеді.',
      q_rule: 'Тексеру', q_evaluated: 'Тексерілген жағдайлар', q_errors: 'Қателер', q_warnings: 'Ескертулер', q_severity: 'Маңыздылығы',
      q_statistic: 'Статистика', q_none: 'Ештеңе табылған жоқ.', q_shown: 'Көрсетілді', q_of: '/', q_findings: 'Табылғандар',
      q_benford: 'Бенфорд заңы (бірліктер бойынша санақ көрсеткіштерінің бірінші цифрлары)', q_n: 'Мәндер', q_span: 'Шама реттері',
      q_p: 'p-мәні', q_tested: 'Тексерілді', q_yes: 'иә', q_no: 'жоқ',
      r_range: 'Мәлімделген ауқым', r_identity: 'Теңгерімдік тепе-теңдік', r_jump: 'Секіріс', 'r_peer-outlier': 'Салыстырмалылар арасындағы ауытқу',
      r_repeated: 'Қайталанатын мән', r_benford: 'Бенфорд заңы', 'r_missing-series': 'Жетіспейтін қатар',
      sev_error: 'қате', sev_warning: 'ескерту',
      fig1: '1-сурет — қалалар топтары', table1: '1-кесте — облыстар бойынша моноқалалар', group: 'Топ', members: 'Қалалар',
      count: 'Саны', region: 'Облыс', unit: 'Аумақ', city: 'Қала', map: 'Типология картасы',
      map_note: 'Облыс шекаралары: Natural Earth admin-1 (қоғамдық игілік), 2018 жылға дейінгі бөлініс — қазіргі Шымкент, Түркістан, Абай, Жетісу және Ұлытау облыстары көрсетілмеген. Қалалар координаттары бойынша орналастырылған.',
      indicator: 'Көрсеткіш', value: 'Мәні', transformed: 'Салыстырылатын мән', zone: 'Аймақ', trend: 'Үрдіс', status: 'Мәртебе',
      national: 'Ел бойынша', threshold: 'Шек', warning_at: 'Ескерту шегі', crisis_at: 'Дағдарыс шегі', source: 'Дереккөз',
      confidence: 'Сенімділік', justification: 'Негіздеме', set: 'Жиын', transform: 'Түрлендіру', side: 'Жаман жағы',
      z_no_data: 'деректер жоқ', z_normal: 'қалыпты', z_warning: 'ескерту', z_crisis: 'дағдарыс',
      t_none: '', t_improving: 'жақсаруда', t_stable: 'тұрақты', t_worsening: 'нашарлауда',
      st_none: '', st_new: 'жаңа', st_persistent: 'созылмалы', st_aggravating: 'ушығуда', st_unwinding: 'бәсеңдеуде',
      heat_note: 'Әр ұяшық — кезеңдегі аумақ пен шек: түсі мен белгісі аймақты көрсетеді (● қалыпты, ▲ ескерту, ✖ дағдарыс, – деректер жоқ), нұсқар — үрдісті (↗ жақсаруда, → тұрақты, ↘ нашарлауда).',
      no_alerts: 'Бұл кезеңде шек бұзылған жоқ.', category: 'Санат', reasons: 'Орындалған ережелер', rules: 'Ережелер',
      cat_1: '1 — ең күрделі жағдай', cat_2: '2 — нашарлау қаупі', cat_3: '3 — тұрақты жағдай', cat_0: 'деректер жоқ',
      eligibility: 'жатқызу', category_1: '1-санат', category_2: '2-санат', description: 'Сипаттама',
      rank: 'Орын', score: 'Баға', spec: 'Индекс', weight: 'Салмақ', eff_weight: 'Нақты салмақ', level: 'Деңгей',
      screened: 'Алынып тасталған көрсеткіштер', screen_no_column: 'деректер жоқ', screen_low_availability: 'деректер аз',
      screen_too_many_zeros: 'нөлдер тым көп', not_ranked: 'Бағасы жоқ аумақтар', availability: 'деректер үлесі',
      sensitivity_none: 'Сезімталдық талдауының нәтижелері жоқ: орындар аралықсыз көрсетілген.',
      gini: 'Джини', theil_t: 'Тейл T', theil_l: 'Тейл L', cv: 'ВК', within: 'ішіндегі', between: 'арасындағы',
      ineq_note: 'Бірінші деңгейлі бірліктер (облыстар және республикалық маңызы бар қалалар), халық санымен салмақталған; Тейл T индексі екі түр (облыстар, қалалар) ішіндегі және арасындағы теңсіздікке бөлінген.',
      sigma: 'σ-конвергенция (ВК, теңгерімді панель)', converging: 'жақындасу', diverging: 'алшақтау', slope: 'жылдық еңіс',
      half_units: 'Бірліктердің жартысынан азында мәні мен халық саны бар кезеңдер графиктерде көрсетілмеген (олар CSV-де бар).',
      beta: 'β-конвергенция', half_life: 'жартылай жақындасу кезеңі, жыл', units_n: 'бірлік',
      choose_city: 'Қала', names: 'Атаулары', groups: 'Топтары', region_history: 'Өңірлік тиесілілік тарихы', evaluations: 'Көрсеткіштер және шектер',
      series: 'Қатарлар', strengths: 'Күшті жақтары', weaknesses: 'Әлсіз жақтары', annotations: 'Сарапшы жазбалары', directions: 'Саясаттың басым бағыттары',
      directions_none: 'Бірде-бір сала шекті бұзбаған: шектерден басым бағыт туындамайды.',
      from: 'бастап', to: 'дейін', official: 'ресми', alias: 'басқа', since_always: '…', still: 'қазір',
      strengths_note: 'индекс көрсеткіштері арасындағы ең жақсы және ең нашар орындар', verdict: 'Бағалау', note: 'Жазба', author: 'Авторы',
      framework: 'Көрсеткіштер жүйесі', domain: 'Сала', direction: 'Бағыты', higher_better: 'көп болса — жақсы', lower_better: 'аз болса — жақсы',
      thresholds: 'Шектер жиыны', index_spec: 'Индекс сипаттамасы', data_sources: 'Деректер көздері және импорттар',
      batch: 'Импорт', file: 'Файл', imported_at: 'Жүктелген', sha256: 'SHA-256', inserted: 'жаңа', revised: 'өзгертілген',
      sens_title: 'Орын аралықтары', sens_interval: '5–95% аралығы', median_rank: 'Медиана орны', nominal_rank: 'Номиналды орын',
      sens_note: 'Индекстің белгісіздік талдауы: {runs} есептеу, бастапқы сан {seed}; индекстен төмен әр деңгейде салмақтар ±25% және min-max не z-бағалау нормалауы. Кесінді — есептеулер бойынша 5%-дан 95%-ға дейінгі орындар, нүкте — медиана орны, ромб — рейтингтегі орын.',
      seeds_sens: 'Орын аралықтарының кездейсоқ саны: {seed} ({runs} есептеу; сол сан сол аралықтарды береді).', factors: 'Белгісіз факторлар',
      seeds: 'Кездейсоқ сандар: жоқ — бұл есеп үшін кездейсоқ ештеңе орындалмады.', monitor_params: 'Үрдіс соңғы {k} кезең бойынша; кезеңіне ±{tol}% ішінде тұрақты.',
      kind_city: 'қала', kind_region: 'облыс', kind_country: 'ел', source_files: 'Дереккөздер сипаттамасы', observations: 'бақылау', method: 'Әдіс', kind: 'Түрі', all_cities: 'Барлық қалалар'
    }
  };
  /* Kazakh numbers as in Kazakhstan (1 234,5, CLDR's kk). Some browsers (Debian's
     Chromium) claim kk but format it with the root locale's 1,234.5: then ru-RU, which
     writes numbers the Kazakh way. */
  const KK_OK = /^1\s?234,5$/.test(new Intl.NumberFormat('kk-KZ').format(1234.5).replace(/\u00a0|\u202f/g, ' '));
  const LOCALE = { kk: KK_OK ? 'kk-KZ' : 'ru-RU', ru: 'ru-RU', en: 'en-GB' };
  const ZONE_SYMBOL = { normal: '●', warning: '▲', crisis: '✖', no_data: '–' };
  const TREND_ARROW = { improving: '↗', stable: '→', worsening: '↘', none: '' };
  const ZONE_COLOR = { no_data: '#bbbbbb', normal: '#009e73', warning: '#e69f00', crisis: '#d55e00' };
  const GROUP_COLOR = ['#0072b2', '#cc79a7', '#56b4e9', '#f0e442', '#009e73', '#e69f00']; /* Okabe–Ito */

  let D = null, lang = 'en', charts = [], passportUnit = null;
  const $ = (sel, root) => (root || document).querySelector(sel);

  function t(key) { return MSG[lang] && key in MSG[lang] ? MSG[lang][key] : key in MSG.en ? MSG.en[key] : key; }
  function nm(o) { return o ? (o[lang] || o.en || '') : ''; }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  function fmt(x, digits) {
    if (x === null || x === undefined || (typeof x === 'number' && !isFinite(x))) return t('no_data');
    const d = digits === undefined ? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2) : digits;
    return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(x);
  }
  const byCode = {};
  function index(list, key) { const m = {}; (list || []).forEach(x => { m[x[key || 'code']] = x; }); return m; }
  function unitName(code) { const u = byCode.units[code]; return u ? nm(u.name) : code; }
  function indName(code) { const i = byCode.indicators[code]; return i ? nm(i.name) : code; }
  function groupName(code) { const g = byCode.groups[code]; return g ? nm(g.name) : code; }
  function domainName(code) { const d = byCode.domains[code]; return d ? nm(d.name) : code; }
  function periodText(p) { return p || t('no_data'); }
  function zoneTag(z) { return `<span class="zone zone-${esc(z)}" title="${esc(t('z_' + z))}">${ZONE_SYMBOL[z] || ''}</span> ${esc(t('z_' + z))}`; }
  function nodata() { return `<p class="nodata">${esc(t('no_data'))}</p>`; }

  /* ---- CSV downloads: the data behind a chart or table ------------------------------ */
  const downloads = {};
  function csvCell(v) {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function downloadLink(id, name, header, rows) {
    downloads[id] = { name, header, rows };
    return `<button type="button" class="download" data-download="${esc(id)}">${esc(t('download'))}</button>`;
  }
  function doDownload(id) {
    const d = downloads[id];
    if (!d) return;
    const text = [d.header].concat(d.rows).map(r => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
    const blob = new Blob(['\ufeff' + text], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = d.name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function chart(el) {
    const c = echarts.init(el, null, { renderer: 'svg' });
    charts.push(c);
    return c;
  }
  function table(head, rows, numeric) {
    numeric = numeric || [];
    return '<div class="tw"><table><thead><tr>' + head.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('') +
      '</tr></thead><tbody>' + rows.map(r => '<tr>' + r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('') + '</tr>').join('') +
      '</tbody></table></div>';
  }

  /* ---- sections ----------------------------------------------------------------------- */
  function sectionTypology() {
    const groups = D.groups || [], t1 = D.table1 || { rows: [] };
    let h = `<section id="typology"><h2>${esc(t('s_typology'))}</h2><h3>${esc(t('fig1'))}</h3>`;
    h += groups.length ? table([t('group'), t('count'), t('members')],
      groups.map(g => [esc(nm(g.name)), fmt(g.members.length, 0), g.members.map(c => esc(unitName(c))).join(', ')]), [1]) : nodata();
    h += downloadLink('groups', 'groups.csv', ['group', 'unit', 'name'],
      groups.flatMap(g => g.members.map(c => [g.code, c, unitName(c)])));
    h += `<h3>${esc(t('table1'))} (${esc(D.at || '')})</h3>`;
    h += t1.rows.length ? table([t('region'), t('count'), t('members')],
      t1.rows.map(r => [esc(unitName(r.region)), fmt(r.count, 0), r.cities.map(c => esc(unitName(c))).join(', ')]), [1]) : nodata();
    h += downloadLink('table1', 'monocities_by_region.csv', ['region', 'region_name', 'count', 'cities'],
      t1.rows.map(r => [r.region, unitName(r.region), r.count, r.cities.map(unitName).join('; ')]));
    h += `<h3>${esc(t('map'))}</h3><div id="map" class="chart tall"></div><p class="note">${esc(t('map_note'))}</p>`;
    const pts = (D.units || []).filter(u => u.kind === 'city' && u.lat !== null && u.lon !== null && u.alive);
    h += downloadLink('map', 'map_points.csv', ['unit', 'name', 'lat', 'lon', 'groups'],
      pts.map(u => [u.code, nm(u.name), u.lat, u.lon, u.groups.join(';')]));
    return h + '</section>';
  }

  function drawMap() {
    const el = $('#map');
    if (!el || !D.map || !D.map.features) { if (el) el.outerHTML = nodata(); return; }
    const geo = JSON.parse(JSON.stringify(D.map));
    geo.features.forEach(f => { f.properties.name = f.properties.code; });
    echarts.registerMap('kz', geo);
    const groups = (D.groups || []).map(g => g.code);
    const pts = (D.units || []).filter(u => u.kind === 'city' && u.lat !== null && u.lon !== null && u.alive);
    const series = [{
      type: 'map', map: 'kz', roam: false, silent: true, zlevel: 0,
      itemStyle: { areaColor: '#f4f6f8', borderColor: '#5b6570', borderWidth: 0.8 },
      label: { show: false }, data: []
    }];
    const inGroup = g => pts.filter(u => (u.groups[0] || '') === g);
    groups.concat(['']).forEach((g, i) => {
      const list = inGroup(g);
      if (!list.length) return;
      series.push({
        name: g ? groupName(g) : t('no_data'), type: 'scatter', coordinateSystem: 'geo', symbolSize: 9,
        itemStyle: { color: g ? GROUP_COLOR[i % GROUP_COLOR.length] : '#999', borderColor: '#fff', borderWidth: 1 },
        data: list.map(u => ({ name: u.code, value: [u.lon, u.lat], groups: u.groups }))
      });
    });
    const c = chart(el);
    c.setOption({
      animation: false,
      tooltip: { trigger: 'item', formatter: p => p.seriesType === 'scatter'
        ? `${esc(unitName(p.name))}<br>${p.data.groups.map(g => esc(groupName(g))).join(', ')}` : '' },
      legend: { top: 0, data: series.slice(1).map(s => s.name) },
      geo: { map: 'kz', roam: false, itemStyle: { areaColor: '#f4f6f8', borderColor: '#5b6570' }, emphasis: { disabled: true } },
      series: series.slice(1)
    });
    c.on('click', p => { if (p.seriesType === 'scatter') openPassport(p.name); });
  }

  function thresholdLabel(th) {
    const tr = th.transform === 'level' ? '' : ` (${th.transform}${th.k > 1 ? ' ' + th.k : ''})`;
    return indName(th.indicator) + tr;
  }

  function sectionScoreboard() {
    const m = D.monitor;
    let h = `<section id="scoreboard"><h2>${esc(t('s_scoreboard'))} — ${esc(periodText(m && m.period))}</h2>`;
    if (!m || m.no_data) return h + nodata() + '</section>';
    h += `<p class="note">${esc(t('heat_note'))}</p><div class="legend">` +
      ['normal', 'warning', 'crisis', 'no_data'].map(z => `<span>${zoneTag(z)}</span>`).join('') + '</div>';
    h += '<div id="heatmap" class="chart tall"></div>';
    const ths = index(m.thresholds, 'id');
    h += downloadLink('scoreboard', `scoreboard_${m.period}.csv`,
      ['unit', 'unit_name', 'indicator', 'transform', 'value', 'compared_value', 'zone', 'trend', 'status', 'national', 'warning', 'crisis', 'source'],
      m.rows.map(r => { const th = ths[r.threshold]; return [r.unit, unitName(r.unit), r.indicator, th.transform, r.value, r.transformed,
        r.zone, r.trend, r.status, m.national[r.indicator], th.warning, th.crisis, th.source]; }));
    return h + '</section>';
  }

  function drawHeatmap() {
    const el = $('#heatmap'), m = D.monitor;
    if (!el || !m) return;
    const ths = index(m.thresholds, 'id');
    /* columns: the thresholds with a figure for some unit (the CSV has every cell) */
    const cols = [...new Set(m.rows.filter(r => r.zone !== 'no_data').map(r => r.threshold))];
    const units = [...new Set(m.rows.map(r => r.unit))];
    const zoneN = { no_data: 0, normal: 1, warning: 2, crisis: 3 };
    const cell = {};
    m.rows.forEach(r => { cell[r.unit + '|' + r.threshold] = r; });
    const data = [];
    units.forEach((u, y) => cols.forEach((th, x) => {
      const r = cell[u + '|' + th];
      data.push({ value: [x, y, r ? zoneN[r.zone] : 0], row: r || null });
    }));
    el.style.height = Math.max(360, 90 + units.length * 22 + 160) + 'px';
    const c = chart(el);
    c.setOption({
      animation: false,
      tooltip: { formatter: p => {
        const r = p.data.row;
        if (!r) return esc(t('no_data'));
        return `<b>${esc(unitName(r.unit))}</b><br>${esc(thresholdLabel(ths[r.threshold]))}<br>` +
          `${esc(t('value'))}: ${fmt(r.value)}; ${esc(t('transformed'))}: ${fmt(r.transformed)}<br>` +
          `${esc(t('zone'))}: ${esc(t('z_' + r.zone))} ${r.trend !== 'none' ? '· ' + esc(t('t_' + r.trend)) : ''}`;
      } },
      grid: { left: 170, right: 20, top: 10, bottom: 170 },
      xAxis: { type: 'category', data: cols.map(id => thresholdLabel(ths[id])), axisLabel: { rotate: 50, interval: 0, fontSize: 10,
        formatter: s => s.length > 34 ? s.slice(0, 33) + '…' : s } },
      yAxis: { type: 'category', data: units.map(unitName), inverse: true, axisLabel: { interval: 0, fontSize: 11 } },
      visualMap: { type: 'piecewise', show: false, dimension: 2,
        pieces: [{ value: 0, color: ZONE_COLOR.no_data }, { value: 1, color: ZONE_COLOR.normal },
                 { value: 2, color: ZONE_COLOR.warning }, { value: 3, color: ZONE_COLOR.crisis }] },
      series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 },
        label: { show: true, fontSize: 10, color: '#000', formatter: p => {
          const r = p.data.row;
          return r ? (ZONE_SYMBOL[r.zone] || '') + (TREND_ARROW[r.trend] || '') : ZONE_SYMBOL.no_data;
        } } }]
    });
    c.on('click', p => { if (p.data && p.data.row) openPassport(p.data.row.unit); });
  }

  function sectionAlerts() {
    const a = D.alerts || [], m = D.monitor || { thresholds: [] }, ths = index(m.thresholds, 'id');
    const notes = {};
    (D.annotations || []).forEach(n => { notes[n.unit + '|' + n.indicator + '|' + n.period] = n; });
    let h = `<section id="alerts"><h2>${esc(t('s_alerts'))} — ${esc(periodText(m.period))}</h2>`;
    if (!a.length) h += `<p>${esc(m.no_data ? t('no_data') : t('no_alerts'))}</p>`;
    else h += table([t('unit'), t('indicator'), t('zone'), t('status'), t('trend'), t('transformed'), t('warning_at'), t('crisis_at'), t('note')],
      a.map(r => { const th = ths[r.threshold], n = notes[r.unit + '|' + r.indicator + '|' + m.period];
        return [`<a href="#passport/${esc(r.unit)}">${esc(unitName(r.unit))}</a>`, esc(thresholdLabel(th)), zoneTag(r.zone),
          esc(t('st_' + r.status)), esc(TREND_ARROW[r.trend] + ' ' + t('t_' + r.trend)), fmt(r.transformed), fmt(th.warning), fmt(th.crisis),
          n ? esc(n.verdict + (n.note ? ': ' + n.note : '')) : '']; }), [5, 6, 7]);
    h += downloadLink('alerts', `alerts_${m.period}.csv`, ['unit', 'unit_name', 'indicator', 'zone', 'status', 'trend', 'value', 'compared_value'],
      a.map(r => [r.unit, unitName(r.unit), r.indicator, r.zone, r.status, r.trend, r.value, r.transformed]));
    return h + '</section>';
  }

  function sectionCategories() {
    const c = D.categories;
    let h = `<section id="categories"><h2>${esc(t('s_categories'))} — ${esc(periodText(c && c.period))}</h2>`;
    if (!c) return h + nodata() + '</section>';
    const rules = index(c.rules, 'id');
    h += c.rows.length ? table([t('city'), t('category'), t('reasons')], c.rows.map(r => [
      `<a href="#passport/${esc(r.unit)}">${esc(unitName(r.unit))}</a>`,
      `<span class="cat cat-${r.category || 0}">${esc(t('cat_' + (r.category || 0)))}</span>`,
      r.fired.length ? '<ul class="compact">' + r.fired.map(id => `<li>${esc(rules[id] ? rules[id].description : id)}</li>`).join('') + '</ul>' : ''
    ])) : nodata();
    h += downloadLink('categories', `monotown_categories_${c.period}.csv`, ['unit', 'name', 'category', 'rules_fired'],
      c.rows.map(r => [r.unit, unitName(r.unit), r.category, r.fired.join(';')]));
    h += `<h3>${esc(t('rules'))}</h3>` + table([t('kind'), t('description'), t('source'), t('confidence')],
      c.rules.map(r => [esc(t(r.kind)), esc(r.description), esc(r.source), esc(r.confidence)]));
    return h + '</section>';
  }

  function sectionIndex() {
    const ix = D.index;
    let h = `<section id="index"><h2>${esc(t('s_index'))}: ${esc(ix ? nm(ix.name) : '')} — ${esc(periodText(ix && ix.period))}</h2>`;
    if (!ix || ix.no_data) return h + nodata() + '</section>';
    const nodes = ix.nodes, root = nodes[nodes.length - 1];
    const subs = nodes.filter(n => n.parent === root.code);
    const ranked = ix.units.filter(u => u.score !== null).sort((a, b) => a.rank - b.rank);
    const unranked = ix.units.filter(u => u.score === null);
    const sens = ix.sensitivity;
    if (sens && sens.units && sens.units.length) {
      /* the ranking and its rank intervals side by side, the units in the same order */
      h += `<div class="grid2"><div id="index-chart" class="chart tall"></div><div id="index-intervals" class="chart tall"></div></div>` +
        `<p class="note">${esc(t('sens_note').replace('{runs}', fmt(sens.runs_done, 0)).replace('{seed}', sens.seed))}</p>`;
      h += downloadLink('intervals', `rank_intervals_${ix.spec}_${ix.period}.csv`,
        ['unit', 'name', 'nominal', 'median', 'q05', 'q95', 'mean_abs_shift', 'runs', 'seed'],
        sens.units.map(u => [u.code, unitName(u.code), u.nominal, u.median, u.q05, u.q95, u.mean_abs_shift, sens.runs_done, sens.seed]));
    } else {
      h += `<div id="index-chart" class="chart tall"></div><p class="note">${esc(t('sensitivity_none'))}</p>`;
    }
    h += table([t('rank'), t('unit'), nm(root.name)].concat(subs.map(s => nm(s.name))),
      ranked.map(u => [fmt(u.rank, 0), `<a href="#passport/${esc(u.unit)}">${esc(unitName(u.unit))}</a>`, fmt(u.score, 1)]
        .concat(subs.map(s => fmt(u.scores[s.code], 1)))), [0, 2].concat(subs.map((s, i) => i + 3)));
    h += downloadLink('index', `index_${ix.spec}_${ix.period}.csv`, ['rank', 'unit', 'name', 'score'].concat(subs.map(s => s.code)),
      ranked.map(u => [u.rank, u.unit, unitName(u.unit), u.score].concat(subs.map(s => u.scores[s.code]))));
    if (unranked.length)
      h += `<p class="muted">${esc(t('not_ranked'))}: ${unranked.map(u => esc(unitName(u.unit))).join(', ')}</p>`;
    const dropped = (ix.indicator_reports || []).filter(r => r.screen !== 'kept');
    if (dropped.length)
      h += `<p class="muted">${esc(t('screened'))}: ${dropped.map(r => esc(indName(r.code)) + ' (' + esc(t('screen_' + r.screen)) + ')').join('; ')}</p>`;
    return h + '</section>';
  }

  function drawIndex() {
    const el = $('#index-chart'), ix = D.index;
    if (!el || !ix || ix.no_data) return;
    const nodes = ix.nodes, root = nodes[nodes.length - 1];
    const subs = nodes.filter(n => n.parent === root.code);
    const ranked = ix.units.filter(u => u.score !== null).sort((a, b) => a.rank - b.rank);
    el.style.height = Math.max(320, 60 + ranked.length * 22) + 'px';
    const c = chart(el);
    c.setOption({
      animation: false, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: v => fmt(v, 1) },
      legend: { top: 0, type: 'scroll' }, grid: { left: 170, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value', axisLabel: { formatter: v => fmt(v, 0) } },
      yAxis: { type: 'category', inverse: true, data: ranked.map(u => unitName(u.unit)), axisLabel: { interval: 0 } },
      series: [{ name: nm(root.name), type: 'bar', data: ranked.map(u => u.score), itemStyle: { color: '#0072b2' } }]
        .concat(subs.map((s, i) => ({ name: nm(s.name), type: 'scatter', symbolSize: 8, data: ranked.map(u => u.scores[s.code]),
          itemStyle: { color: GROUP_COLOR[(i + 1) % GROUP_COLOR.length] } })))
    });
  }

  /* The rank intervals of index.sensitivity: a bar from the 5 % to the 95 % rank (an
     ECharts custom series), the median and the nominal rank as points; rank 1 on the left. */
  function drawIntervals() {
    const el = $('#index-intervals'), s = D.index && D.index.sensitivity;
    if (!el || !s) return;
    const rows = s.units;
    el.style.height = Math.max(320, 60 + rows.length * 22) + 'px';
    const top = Math.max(1, ...rows.map(u => u.q95 || 1), ...rows.map(u => u.nominal || 1));
    const tip = u => `${esc(unitName(u.code))}<br>${esc(t('nominal_rank'))}: ${fmt(u.nominal, 0)}<br>` +
      `${esc(t('median_rank'))}: ${fmt(u.median, 1)}<br>${esc(t('sens_interval'))}: ${fmt(u.q05, 1)}–${fmt(u.q95, 1)}`;
    chart(el).setOption({
      animation: false, tooltip: { trigger: 'item', formatter: p => tip(rows[p.dataIndex]) },
      legend: { top: 0, type: 'scroll' }, grid: { left: 170, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value', min: 1, max: Math.ceil(top), minInterval: 1, name: t('rank'), nameLocation: 'middle', nameGap: 22,
        axisLabel: { formatter: v => fmt(v, 0) } },
      yAxis: { type: 'category', inverse: true, data: rows.map(u => unitName(u.code)), axisLabel: { interval: 0 } },
      series: [
        { name: t('sens_interval'), type: 'custom', itemStyle: { color: '#0072b2' },
          encode: { x: [1, 2], y: 0, tooltip: [1, 2] },
          data: rows.map((u, i) => [i, u.q05, u.q95]),
          renderItem: (params, api) => {
            const lo = api.coord([api.value(1), api.value(0)]), hi = api.coord([api.value(2), api.value(0)]);
            const cap = api.size([0, 1])[1] * 0.25, style = { stroke: '#0072b2', lineWidth: 2 };
            return { type: 'group', children: [
              { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
              { type: 'line', shape: { x1: lo[0], y1: lo[1] - cap, x2: lo[0], y2: lo[1] + cap }, style },
              { type: 'line', shape: { x1: hi[0], y1: hi[1] - cap, x2: hi[0], y2: hi[1] + cap }, style }] };
          } },
        { name: t('median_rank'), type: 'scatter', symbolSize: 9, itemStyle: { color: '#d55e00' },
          data: rows.map((u, i) => [u.median, i]) },
        { name: t('nominal_rank'), type: 'scatter', symbol: 'diamond', symbolSize: 10, itemStyle: { color: '#009e73' },
          data: rows.map((u, i) => [u.nominal, i]) }
      ]
    });
  }

  function sectionInequality() {
    const q = D.inequality;
    let h = `<section id="inequality"><h2>${esc(t('s_ineq'))}</h2>`;
    if (!q || q.no_data) return h + nodata() + '</section>';
    h += `<p class="note">${esc(t('ineq_note'))}</p>`;
    q.indicators.forEach((ind, i) => {
      h += `<h3>${esc(indName(ind.indicator))}</h3>`;
      if (ind.no_data || !ind.periods || !ind.periods.length) { h += nodata(); return; }
      h += `<div class="grid2"><div id="ineq-${i}" class="chart small"></div><div id="sigma-${i}" class="chart small"></div></div>`;
      const s = ind.sigma, b = ind.beta;
      const dir = s && s.slope !== null ? (s.slope < 0 ? t('converging') : t('diverging')) : t('no_data');
      h += `<p class="muted">${esc(t('sigma'))}: ${esc(dir)}; ${esc(t('slope'))} ${fmt(s && s.slope, 4)} (${fmt(s && s.n_units, 0)} ${esc(t('units_n'))}). ` +
        (b.from && b.to && b.from !== b.to ? `${esc(t('beta'))} ${esc(b.from)}–${esc(b.to)}: β = ${fmt(b.beta, 4)}, p = ${fmt(b.p_value, 3)}; ${esc(t('half_life'))}: ${fmt(b.half_life, 1)}.`
          : `${esc(t('beta'))}: ${esc(t('no_data'))}.`) + ` ${esc(t('half_units'))}</p>`;
      h += downloadLink('ineq-' + i, `inequality_${ind.indicator}.csv`,
        ['period', 'units', 'used', 'gini', 'theil_t', 'theil_l', 'cv', 'theil_t_within', 'theil_t_between', 'sigma_cv_balanced'],
        ind.periods.map(p => { const sp = (s.points || []).find(x => x[0] === p.period);
          return [p.period, p.n_units, p.n_used, p.gini, p.theil_t, p.theil_l, p.cv, p.theil_t_within, p.theil_t_between, sp ? sp[1] : null]; }));
    });
    return h + '</section>';
  }

  function drawInequality() {
    const q = D.inequality;
    if (!q || q.no_data) return;
    q.indicators.forEach((ind, i) => {
      const el = $('#ineq-' + i), el2 = $('#sigma-' + i);
      if (!el) return;
      /* periods in which fewer than half of the units have a value and a weight are left
         out of the chart (the CSV has them) */
      const rows = ind.periods.filter(p => p.n_used * 2 >= p.n_units);
      const per = rows.map(p => p.period);
      chart(el).setOption({
        animation: false, tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) }, legend: { top: 0 },
        grid: { left: 50, right: 15, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: per }, yAxis: { type: 'value', axisLabel: { formatter: v => fmt(v, 3) } },
        series: [
          { name: t('theil_t') + ' — ' + t('within'), type: 'bar', stack: 't', data: rows.map(p => p.theil_t_within), itemStyle: { color: '#56b4e9' } },
          { name: t('theil_t') + ' — ' + t('between'), type: 'bar', stack: 't', data: rows.map(p => p.theil_t_between), itemStyle: { color: '#0072b2' } },
          { name: t('gini'), type: 'line', data: rows.map(p => p.gini), itemStyle: { color: '#d55e00' } }
        ]
      });
      const pts = (ind.sigma && ind.sigma.points) || [];
      chart(el2).setOption({
        animation: false, tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) }, legend: { top: 0 },
        grid: { left: 50, right: 15, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: pts.map(p => p[0]) }, yAxis: { type: 'value', scale: true, axisLabel: { formatter: v => fmt(v, 3) } },
        series: [{ name: t('sigma'), type: 'line', data: pts.map(p => p[1]), itemStyle: { color: '#009e73' } }]
      });
    });
  }

  function sectionQuality() {
    const q = D.quality;
    let h = `<section id="quality"><h2>${esc(t('s_quality'))}</h2><p class="muted">${esc(t('q_intro'))}</p>`;
    h += table([t('q_rule'), t('q_evaluated'), t('q_errors'), t('q_warnings')],
      q.rules.map(r => [esc(t('r_' + r.rule)), fmt(r.evaluated, 0), fmt(r.errors, 0), fmt(r.warnings, 0)]), [1, 2, 3]);
    h += `<h3>${esc(t('q_findings'))}: ${fmt(q.total, 0)}</h3>`;
    if (!q.findings.length) h += `<p>${esc(t('q_none'))}</p>`;
    else {
      if (q.shown < q.total) h += `<p class="muted">${esc(t('q_shown'))}: ${fmt(q.shown, 0)} ${esc(t('q_of'))} ${fmt(q.total, 0)}</p>`;
      h += '<div class="tw"><table class="quality"><thead><tr>' + [t('q_severity'), t('unit'), t('indicator'), t('period'), t('q_rule'), t('value'), t('q_statistic')]
        .map((x, i) => `<th${i >= 5 ? ' class="num"' : ''}>${esc(x)}</th>`).join('') + '</tr></thead><tbody>' +
        q.findings.map(f => `<tr class="sev-${esc(f.severity)}" title="${esc(f.message)}"><td>${esc(t('sev_' + f.severity))}</td>` +
          `<td>${f.unit ? `<a href="#passport/${esc(f.unit)}">${esc(unitName(f.unit))}</a>` : ''}</td><td>${esc(indName(f.indicator))}</td>` +
          `<td>${esc(f.period || '')}</td><td>${esc(t('r_' + f.rule))}${f.identity ? ' (' + esc(f.identity) + ')' : ''}</td>` +
          `<td class="num">${f.value === null ? '' : fmt(f.value)}</td><td class="num">${f.statistic === null ? '' : fmt(f.statistic, 2)}</td></tr>`).join('') +
        '</tbody></table></div>';
    }
    h += downloadLink('quality', 'data_quality.csv', ['unit', 'unit_name', 'indicator', 'period', 'rule', 'severity', 'value', 'statistic', 'p_value', 'identity', 'message'],
      q.findings.map(f => [f.unit, f.unit ? unitName(f.unit) : '', f.indicator, f.period, f.rule, f.severity, f.value, f.statistic, f.p_value, f.identity, f.message]));
    if (q.benford.length) {
      h += `<h3>${esc(t('q_benford'))}</h3>` + table([t('indicator'), t('period'), t('q_n'), t('q_span'), 'χ²', t('q_p'), t('q_tested')],
        q.benford.map(b => [esc(indName(b.indicator)), esc(b.period || ''), fmt(b.n, 0), b.span === null ? '' : fmt(b.span, 1),
          b.chi2 === null ? '' : fmt(b.chi2, 2), b.p_value === null ? '' : fmt(b.p_value, 3), esc(t(b.tested ? 'q_yes' : 'q_no'))]), [2, 3, 4, 5]);
    }
    return h + '</section>';
  }

  function sectionPassports() {
    const ps = D.passports || [];
    let h = `<section id="passports"><h2>${esc(t('s_passports'))}</h2>`;
    if (!ps.length) return h + nodata() + '</section>';
    h += `<label class="screen-only">${esc(t('choose_city'))} <select id="passport-select">` +
      ps.map(p => `<option value="${esc(p.unit)}">${esc(nm(p.name))}</option>`).join('') + '</select></label>';
    h += '<div id="passport"></div>';
    return h + '</section>';
  }

  function dateRange(a, b) { return `${a || t('since_always')} — ${b || t('still')}`; }

  function renderPassport(code) {
    const box = $('#passport');
    const p = (D.passports || []).find(x => x.unit === code);
    if (!box || !p) return;
    passportUnit = code;
    const sel = $('#passport-select');
    if (sel) sel.value = code;
    const m = D.monitor || { thresholds: [], national: {} }, ths = index(m.thresholds, 'id');
    const dirs = index(D.directions || []);
    const cat = D.categories ? D.categories.rows.find(r => r.unit === code) : null;
    const rank = D.index && D.index.units ? D.index.units.find(u => u.unit === code) : null;
    let h = `<div class="passport" data-unit="${esc(code)}"><h3>${esc(nm(p.name))}</h3>`;
    h += `<p class="muted">${esc(p.unit)} · ${esc(t('kind'))}: ${esc(t('kind_' + p.kind))}` +
      (cat ? ` · ${esc(t('category'))}: <span class="cat cat-${cat.category || 0}">${esc(t('cat_' + (cat.category || 0)))}</span>` : '') +
      (rank && rank.rank !== null ? ` · ${esc(t('rank'))}: ${fmt(rank.rank, 0)}` : '') + '</p>';
    h += `<h4>${esc(t('names'))}</h4>` + table([t('lang'), t('city'), t('from') + ' — ' + t('to'), ''],
      p.names.map(n => [esc(n.lang), esc(n.name), esc(dateRange(n.from, n.to)), esc(n.official ? t('official') : t('alias'))]));
    h += `<h4>${esc(t('groups'))}</h4>` + (p.groups.length ? '<ul class="compact">' + p.groups.map(g =>
      `<li>${esc(groupName(g.group))} (${esc(dateRange(g.from, g.to))}) <span class="muted">${esc(g.source)}</span></li>`).join('') + '</ul>' : nodata());
    h += `<h4>${esc(t('region_history'))}</h4>` + (p.regions.length ? '<ul class="compact">' + p.regions.map(r =>
      `<li>${esc(unitName(r.region))} (${esc(dateRange(r.from, r.to))})</li>`).join('') + '</ul>' : nodata());
    h += `<h4>${esc(t('evaluations'))} — ${esc(periodText(m.period))}</h4>`;
    h += p.evaluations.length ? table([t('indicator'), t('value'), t('transformed'), t('national'), t('warning_at'), t('crisis_at'), t('zone'), t('trend')],
      p.evaluations.map(r => { const th = ths[r.threshold];
        return [esc(thresholdLabel(th)), fmt(r.value), fmt(r.transformed), fmt(m.national[r.indicator]), fmt(th.warning), fmt(th.crisis),
          zoneTag(r.zone), esc(TREND_ARROW[r.trend] + ' ' + t('t_' + r.trend))]; }), [1, 2, 3, 4, 5]) : nodata();
    h += `<h4>${esc(t('series'))}</h4>`;
    /* one series at a time (their scales differ), the longest first */
    const order = p.series.map((x, i) => i).sort((a, b) => p.series[b].points.length - p.series[a].points.length);
    h += p.series.length ? `<select id="series-select" class="screen-only">` + order.map(i =>
      `<option value="${i}">${esc(indName(p.series[i].indicator))}</option>`).join('') + '</select><div id="passport-series" class="chart small"></div>' : nodata();
    h += downloadLink('passport', `passport_${p.unit}.csv`, ['unit', 'indicator', 'period', 'value'],
      p.series.flatMap(s => s.points.map(pt => [p.unit, s.indicator, pt[0], pt[1]])));
    h += `<div class="grid2"><div><h4>${esc(t('strengths'))}</h4>` + (p.strengths.length ? '<ul class="compact">' +
      p.strengths.map(s => `<li>${esc(indName(s.indicator))} — ${esc(t('rank'))} ${fmt(s.rank, 0)}</li>`).join('') + '</ul>' : nodata()) +
      `</div><div><h4>${esc(t('weaknesses'))}</h4>` + (p.weaknesses.length ? '<ul class="compact">' +
      p.weaknesses.map(s => `<li>${esc(indName(s.indicator))} — ${esc(t('rank'))} ${fmt(s.rank, 0)}</li>`).join('') + '</ul>' : nodata()) +
      `</div></div><p class="note">${esc(t('strengths_note'))}</p>`;
    const notes = (D.annotations || []).filter(n => n.unit === code);
    h += `<h4>${esc(t('annotations'))}</h4>` + (notes.length ? table([t('indicator'), t('period'), t('verdict'), t('note'), t('author')],
      notes.map(n => [esc(indName(n.indicator)), esc(n.period), esc(n.verdict), esc(n.note), esc(n.author)])) : nodata());
    if (served) h += annotateForm(p);
    h += `<h4>${esc(t('directions'))}</h4>`;
    h += p.directions.length ? '<ol class="directions">' + p.directions.map(d => `<li>${esc(nm(dirs[d] && dirs[d].name))} <span class="muted">(${
      (dirs[d] ? dirs[d].domains : []).filter(x => p.breached_domains.includes(x)).map(domainName).map(esc).join(', ')})</span></li>`).join('') + '</ol>'
      : `<p class="muted">${esc(p.evaluations.length ? t('directions_none') : t('no_data'))}</p>`;
    box.innerHTML = h + '</div>';
    const sel2 = $('#series-select');
    if (sel2) {
      const draw = () => drawSeries(p.series[Number(sel2.value)]);
      sel2.addEventListener('change', draw);
      draw();
    }
  }

  let seriesChart = null;
  function drawSeries(s) {
    const el = $('#passport-series');
    if (!el || !s) return;
    if (seriesChart) { charts = charts.filter(c => c !== seriesChart); seriesChart.dispose(); }
    seriesChart = chart(el);
    const ind = byCode.indicators[s.indicator];
    seriesChart.setOption({
      animation: false, tooltip: { trigger: 'axis', valueFormatter: v => fmt(v) },
      title: { text: indName(s.indicator) + (ind && ind.unit ? ', ' + ind.unit : ''), textStyle: { fontSize: 12 } },
      grid: { left: 80, right: 15, top: 40, bottom: 30 }, xAxis: { type: 'category', data: s.points.map(x => x[0]) },
      yAxis: { type: 'value', scale: true, axisLabel: { formatter: v => fmt(v) } },
      series: [{ name: indName(s.indicator), type: 'line', data: s.points.map(x => x[1]), itemStyle: { color: '#0072b2' } }]
    });
  }

  function openPassport(code) {
    if (!(D.passports || []).some(p => p.unit === code)) return;
    if (location.hash !== '#passport/' + code) history.replaceState(null, '', '#passport/' + code);
    renderPassport(code);
    const s = $('#passports');
    if (s && s.scrollIntoView) s.scrollIntoView();
  }

  function sectionMethodology() {
    const m = D.methodology || {}, mon = D.monitor || { thresholds: [] }, ix = D.index;
    let h = `<section id="methodology"><h2>${esc(t('s_method'))}</h2>`;
    h += `<h3>${esc(t('framework'))}</h3>` + table([t('indicator'), t('domain'), t('direction'), t('unit'), t('source')],
      (D.indicators || []).map(i => [esc(nm(i.name)) + ` <span class="muted">${esc(i.code)}</span>`, esc(domainName(i.domain)),
        esc(i.direction > 0 ? t('higher_better') : t('lower_better')), esc(i.unit), esc(i.source)]));
    h += downloadLink('framework', 'framework.csv', ['code', 'domain', 'direction', 'unit', 'name', 'source'],
      (D.indicators || []).map(i => [i.code, i.domain, i.direction, i.unit, nm(i.name), i.source]));
    const mp = m.monitor || {};
    h += `<h3>${esc(t('thresholds'))}</h3><p class="muted">${esc(t('monitor_params').replace('{k}', mp.trend_k).replace('{tol}', fmt((mp.stable_tolerance || 0) * 100, 2)))}</p>`;
    h += table([t('set'), t('indicator'), t('transform'), t('side'), t('warning_at'), t('crisis_at'), t('groups'), t('source'), t('confidence')],
      mon.thresholds.map(x => [esc(x.set), esc(indName(x.indicator)), esc(x.transform + (x.k > 1 ? ' ' + x.k : '')), esc(x.side),
        fmt(x.warning) + (x.warning_high !== null ? ' / ' + fmt(x.warning_high) : ''), fmt(x.crisis) + (x.crisis_high !== null ? ' / ' + fmt(x.crisis_high) : ''),
        esc(x.groups.map(groupName).join(', ')), esc(x.source) + (x.year ? ` (${x.year})` : ''), esc(x.confidence)]));
    h += downloadLink('thresholds', 'thresholds.csv', ['set', 'indicator', 'transform', 'k', 'side', 'warning', 'crisis', 'warning_high', 'crisis_high',
      'groups', 'source', 'year', 'justification', 'confidence', 'file', 'line'],
      mon.thresholds.map(x => [x.set, x.indicator, x.transform, x.k, x.side, x.warning, x.crisis, x.warning_high, x.crisis_high,
        x.groups.join(';'), x.source, x.year, x.justification, x.confidence, x.file, x.line]));
    if (ix) {
      h += `<h3>${esc(t('index_spec'))}: ${esc(nm(ix.name))} <span class="muted">(${esc(ix.spec)})</span></h3>` +
        `<p class="muted">${esc(ix.description)} ${esc(ix.source)}</p>`;
      h += table([t('level'), t('indicator'), t('weight'), t('eff_weight'), t('method')],
        ix.nodes.slice().reverse().map(n => [fmt(n.level, 0), esc(nm(n.name)), fmt(n.weight, 3), fmt(n.effective_weight, 3),
          esc(n.kind === 'indicator' ? n.normalise + (n.denominator ? ' / ' + n.denominator : '') : n.aggregate)]), [0, 2, 3]);
    }
    h += `<h3>${esc(t('data_sources'))}</h3><p class="muted">${esc(D.data === 'embedded' ? t('data_embedded') : t('data_db') + ' ' + (D.database || ''))}; ` +
      `${fmt(m.observations, 0)} ${esc(t('observations'))}</p>`;
    const batches = m.batches || [];
    h += batches.length ? table([t('batch'), t('file'), t('imported_at'), t('inserted'), t('revised'), t('sha256')],
      batches.map(b => [esc(b.id === undefined ? '' : b.id), esc(b.file), esc(b.imported_at || ''), b.inserted === undefined ? '' : fmt(b.inserted, 0),
        b.revised === undefined ? '' : fmt(b.revised, 0), `<code>${esc((b.sha256 || '').slice(0, 12))}</code>`]), [3, 4]) : nodata();
    h += `<p class="muted">${esc(t('source_files'))}: ${(m.source_files || []).map(esc).join(', ')}</p>`;
    const sens = ix && ix.sensitivity;
    if (sens) {
      h += `<p class="muted">${esc(t('seeds_sens').replace('{seed}', sens.seed).replace('{runs}', fmt(sens.runs_done, 0)))}</p>`;
      h += `<p class="muted">${esc(t('factors'))}: <code>${esc(JSON.stringify({ qala_sensitivity: 1, factors: sens.factors }))}</code></p>`;
    } else {
      h += `<p class="muted">${esc(t('seeds'))}</p>`;
    }
    return h + '</section>';
  }

  /* ---- the live dashboard (served only): upload, notes ------------------------------ */
  const MSG_SERVED = {
    en: {
      s_upload: 'Upload', token: 'Token', token_ph: "a token from 'qala token create'",
      upload_note: "Upload a statistics table (CSV in one of the layouts of docs/data-format.md). It is checked as 'qala import' checks it; nothing is stored when it has errors. Writes need a token: 'qala token create'.",
      dry_run: 'Check only (store nothing)', upload_btn: 'Upload', sending: 'Sending…', up_refused: 'Refused',
      up_stored: 'Stored as import batch {id}.', up_dry: 'Checked: nothing stored.', up_nothing: 'Nothing to store: the file has no observation.',
      up_errors: 'The file has errors: nothing stored.', net_error: 'The request failed',
      c_rows: 'Rows', c_observations: 'Observations', c_missing: 'Missing values', c_rejected: 'Rejected rows', c_inserted: 'New',
      c_revised: 'Revised', c_unchanged: 'Unchanged', c_errors: 'Errors', c_warnings: 'Warnings',
      severity: 'Severity', line: 'Line', column: 'Column', rule: 'Rule', message: 'Message',
      annotate: 'Add a note', author_ph: "default: the token's name", save: 'Save', saved: 'Saved.',
      v_confirmed: 'confirmed — a real threat', v_dismissed: 'dismissed — a false alarm', v_watch: 'watch — not decided yet'
    },
    ru: {
      s_upload: 'Загрузка', token: 'Токен', token_ph: "токен из 'qala token create'",
      upload_note: "Загрузка статистической таблицы (CSV в одном из форматов docs/data-format.md). Она проверяется так же, как в 'qala import'; при ошибках ничего не сохраняется. Для записи нужен токен: 'qala token create'.",
      dry_run: 'Только проверить (ничего не сохранять)', upload_btn: 'Загрузить', sending: 'Отправка…', up_refused: 'Отказано',
      up_stored: 'Сохранено как импорт {id}.', up_dry: 'Проверено: ничего не сохранено.', up_nothing: 'Нечего сохранять: в файле нет наблюдений.',
      up_errors: 'В файле есть ошибки: ничего не сохранено.', net_error: 'Запрос не выполнен',
      c_rows: 'Строки', c_observations: 'Наблюдения', c_missing: 'Пропуски', c_rejected: 'Отклонённые строки', c_inserted: 'Новые',
      c_revised: 'Изменённые', c_unchanged: 'Без изменений', c_errors: 'Ошибки', c_warnings: 'Предупреждения',
      severity: 'Важность', line: 'Строка', column: 'Столбец', rule: 'Правило', message: 'Сообщение',
      annotate: 'Добавить заметку', author_ph: 'по умолчанию: имя токена', save: 'Сохранить', saved: 'Сохранено.',
      v_confirmed: 'подтверждено — реальная угроза', v_dismissed: 'отклонено — ложная тревога', v_watch: 'наблюдать — пока не решено'
    },
    kk: {
      s_upload: 'Жүктеу', token: 'Токен', token_ph: "'qala token create' берген токен",
      upload_note: "Статистикалық кестені жүктеу (docs/data-format.md пішімдерінің біріндегі CSV). Ол 'qala import' сияқты тексеріледі; қателер болса, ештеңе сақталмайды. Жазу үшін токен қажет: 'qala token create'.",
      dry_run: 'Тек тексеру (ештеңе сақтамау)', upload_btn: 'Жүктеу', sending: 'Жіберілуде…', up_refused: 'Қабылданбады',
      up_stored: '{id}-импорт ретінде сақталды.', up_dry: 'Тексерілді: ештеңе сақталмады.', up_nothing: 'Сақтайтын ештеңе жоқ: файлда бақылау жоқ.',
      up_errors: 'Файлда қателер бар: ештеңе сақталмады.', net_error: 'Сұрау орындалмады',
      c_rows: 'Жолдар', c_observations: 'Бақылаулар', c_missing: 'Бос мәндер', c_rejected: 'Қабылданбаған жолдар', c_inserted: 'Жаңа',
      c_revised: 'Өзгертілген', c_unchanged: 'Өзгермеген', c_errors: 'Қателер', c_warnings: 'Ескертулер',
      severity: 'Маңыздылығы', line: 'Жол', column: 'Баған', rule: 'Ереже', message: 'Хабар',
      annotate: 'Жазба қосу', author_ph: 'әдепкі бойынша: токен атауы', save: 'Сақтау', saved: 'Сақталды.',
      v_confirmed: 'расталды — нақты қауіп', v_dismissed: 'жоққа шығарылды — жалған дабыл', v_watch: 'бақылауда — әлі шешілмеген'
    }
  };
  Object.keys(MSG_SERVED).forEach(l => Object.assign(MSG[l], MSG_SERVED[l]));
  const VERDICTS = ['confirmed', 'dismissed', 'watch'];
  const DATA_PARAMS = ['lang', 'period', 'at', 'spec', 'unit'];
  let served = false, dataUrl = null, token = '', uploadState = null, noteState = null;

  /* api/report with the page's own query parameters that the endpoint knows
     (http://host:8080/?lang=ru&period=2021 opens the dashboard in Russian on 2021) */
  function reportUrl() {
    if (window.QALA_DATA_URL) return window.QALA_DATA_URL;
    const q = new URLSearchParams(location.search), out = new URLSearchParams();
    DATA_PARAMS.forEach(k => { if (q.has(k)) out.set(k, q.get(k)); });
    const s = out.toString();
    return 'api/report' + (s ? '?' + s : '');
  }
  /* fetch → {status, body}; body is the JSON answer, or {error: {message}} */
  async function send(url, init) {
    try {
      const r = await fetch(url, init);
      let body;
      try { body = await r.json(); } catch (e) { body = { error: { status: r.status, message: r.statusText } }; }
      return { status: r.status, body };
    } catch (e) {
      return { status: 0, body: { error: { status: 0, message: t('net_error') + ': ' + e } } };
    }
  }
  function authHeaders(extra) {
    const h = Object.assign({}, extra || {});
    if (token) h.Authorization = 'Bearer ' + token;
    return h;
  }
  function errorText(res) {
    const e = res.body && res.body.error;
    return `${res.status ? res.status + ' ' : ''}${res.status === 401 ? t('up_refused') + ': ' : ''}${e ? e.message : ''}`;
  }
  async function reload() {
    const res = await send(dataUrl);
    if (res.status !== 200) return;
    setData(res.body);
    render();
  }

  function sectionUpload() {
    let h = `<section id="upload" class="screen-only"><h2>${esc(t('s_upload'))}</h2><p class="note">${esc(t('upload_note'))}</p>`;
    h += `<form id="upload-form" class="dash-form"><label>${esc(t('file'))} <input type="file" id="upload-file" accept=".csv,text/csv,text/plain" required></label>` +
      `<label>${esc(t('token'))} <input type="password" class="token" id="upload-token" autocomplete="off" placeholder="${esc(t('token_ph'))}" value="${esc(token)}"></label>` +
      `<label><input type="checkbox" id="upload-dry"> ${esc(t('dry_run'))}</label> <button type="submit">${esc(t('upload_btn'))}</button></form>`;
    return h + `<div id="upload-result">${uploadResult()}</div></section>`;
  }

  function uploadResult() {
    const u = uploadState;
    if (!u) return '';
    if (u.pending) return `<p class="muted">${esc(t('sending'))}</p>`;
    const b = u.body || {}, attr = `data-status="${u.status}"`;
    if (!b.stats) return `<p class="dash-error" ${attr}>${esc(errorText(u))}</p>`;
    const stored = b.stored && b.batch, st = b.stats;
    const msg = stored ? t('up_stored').replace('{id}', b.batch.id) : b.errors ? t('up_errors') : b.dry_run ? t('up_dry') : t('up_nothing');
    let h = `<p class="${b.errors ? 'dash-error' : 'dash-ok'}" ${attr} data-stored="${stored ? 1 : 0}"><b>${esc(b.file)}</b>: ${esc(msg)}</p>`;
    const counts = [['c_rows', st.rows], ['c_observations', st.observations], ['c_missing', st.missing], ['c_rejected', st.rejected_rows]];
    if (stored) counts.push(['c_inserted', b.batch.inserted], ['c_revised', b.batch.revised], ['c_unchanged', b.batch.unchanged]);
    counts.push(['c_errors', b.errors], ['c_warnings', b.warnings]);
    h += `<div class="tw"><table class="counts"><tbody>` + counts.map(c =>
      `<tr data-count="${c[0].slice(2)}"><th>${esc(t(c[0]))}</th><td class="num">${fmt(c[1], 0)}</td></tr>`).join('') + '</tbody></table></div>';
    const f = (b.findings || []).slice(0, 200);
    if (f.length) h += table([t('severity'), t('line'), t('column'), t('rule'), t('message')],
      f.map(x => [esc(x.severity), fmt(x.line, 0), x.column ? fmt(x.column, 0) : '', esc(x.rule), esc(x.message)]), [1, 2]);
    return h;
  }

  async function doUpload() {
    const input = $('#upload-file'), f = input && input.files[0];
    if (!f) return;
    const dry = $('#upload-dry') && $('#upload-dry').checked;
    uploadState = { pending: true };
    $('#upload-result').innerHTML = uploadResult();
    const res = await send('api/import?name=' + encodeURIComponent(f.name) + (dry ? '&dry_run=1' : ''),
      { method: 'POST', headers: authHeaders({ 'Content-Type': 'text/csv' }), body: f });
    uploadState = res;
    if (res.body && res.body.stored) await reload(); /* the new data in every section */
    const box = $('#upload-result');
    if (box) box.innerHTML = uploadResult();
  }

  function annotateForm(p) {
    const m = D.monitor || {};
    const own = [...new Set(p.evaluations.map(r => r.indicator))];
    const inds = own.length ? own : (D.indicators || []).map(i => i.code);
    const ns = noteState && noteState.unit === p.unit ? noteState : null;
    let h = `<form id="note-form" class="dash-form screen-only" data-unit="${esc(p.unit)}"><h4>${esc(t('annotate'))}</h4>`;
    h += `<label>${esc(t('indicator'))} <select id="note-indicator">` + inds.map(c => `<option value="${esc(c)}">${esc(indName(c))}</option>`).join('') + '</select></label>';
    h += `<label>${esc(t('period'))} <input id="note-period" size="8" required value="${esc(m.period || D.period || '')}"></label>`;
    h += `<label>${esc(t('verdict'))} <select id="note-verdict">` + VERDICTS.map(v => `<option value="${v}">${esc(t('v_' + v))}</option>`).join('') + '</select></label>';
    h += `<label class="wide">${esc(t('note'))} <input id="note-text" maxlength="2000"></label>`;
    h += `<label>${esc(t('author'))} <input id="note-author" maxlength="100" placeholder="${esc(t('author_ph'))}"></label>`;
    h += `<label>${esc(t('token'))} <input type="password" class="token" id="note-token" autocomplete="off" placeholder="${esc(t('token_ph'))}" value="${esc(token)}"></label>`;
    h += `<button type="submit">${esc(t('save'))}</button>`;
    h += `<p id="note-result" ${ns ? `data-status="${ns.status}"` : ''} class="${ns && ns.status === 201 ? 'dash-ok' : 'dash-error'}">` +
      (ns ? esc(ns.status === 201 ? t('saved') : errorText(ns)) : '') + '</p>';
    return h + '</form>';
  }

  async function doAnnotate(form) {
    const unit = form.dataset.unit, val = id => ($(id) ? $(id).value.trim() : '');
    const body = { unit, indicator: val('#note-indicator'), period: val('#note-period'), verdict: val('#note-verdict'), note: val('#note-text') };
    if (val('#note-author')) body.author = val('#note-author');
    const res = await send('api/annotations', { method: 'POST', headers: authHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) });
    noteState = { unit, status: res.status, body: res.body };
    if (res.status === 201) { await reload(); return; } /* the note in the passport and the alert list */
    const out = $('#note-result'); /* refused: the form keeps what was typed */
    if (out) { out.dataset.status = String(res.status); out.className = 'dash-error'; out.textContent = errorText(res); }
  }

  function bindServed() {
    document.addEventListener('input', e => { if (e.target.classList && e.target.classList.contains('token')) token = e.target.value.trim(); });
    document.addEventListener('submit', e => {
      if (e.target.id === 'upload-form') { e.preventDefault(); doUpload(); }
      else if (e.target.id === 'note-form') { e.preventDefault(); doAnnotate(e.target); }
    });
  }

  /* ---- the page ------------------------------------------------------------------------- */
  function render() {
    charts.forEach(c => c.dispose());
    charts = [];
    seriesChart = null;
    Object.keys(downloads).forEach(k => delete downloads[k]);
    document.documentElement.lang = lang;
    document.title = 'qala — ' + t('title');
    $('#title').textContent = t('title');
    $('#lang-label').textContent = t('lang');
    $('#print').textContent = t('print');
    document.querySelectorAll('button.lang').forEach(b => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    const parts = [['typology', sectionTypology, D.units], ['scoreboard', sectionScoreboard, D.monitor], ['alerts', sectionAlerts, D.alerts],
      ['categories', sectionCategories, D.categories], ['index', sectionIndex, D.index], ['ineq', sectionInequality, D.inequality],
      ['quality', sectionQuality, D.quality], ['passports', sectionPassports, D.passports], ['method', sectionMethodology, D.methodology],
      ['upload', sectionUpload, served ? true : undefined]].filter(p => p[2] !== undefined);
    const ids = { ineq: 'inequality', method: 'methodology' };
    $('#nav').innerHTML = parts.map(p => `<a href="#${ids[p[0]] || p[0]}">${esc(t('s_' + p[0]))}</a>`).join('');
    let h = `<h1>${esc(t('title'))}</h1><p class="meta">${esc(t('period'))}: ${esc(periodText(D.period))} · ${esc(t('at'))}: ${esc(D.at || '')} · ` +
      `${esc(D.data === 'embedded' ? t('data_embedded') : t('data_db'))} · ${esc(t('generated'))}: ${esc(D.generated || '')} · qala ${esc(D.qala_version || '')}</p>`;
    h += parts.map(p => p[1]()).join('');
    $('#app').innerHTML = h;
    if (D.units) drawMap();
    if (D.monitor) drawHeatmap();
    if (D.index) { drawIndex(); drawIntervals(); }
    if (D.inequality) drawInequality();
    const m = /^#passport\/(.+)$/.exec(location.hash);
    const first = (D.passports || [])[0];
    const want = m ? decodeURIComponent(m[1]) : passportUnit || (first && first.unit);
    if (want) renderPassport(want);
  }

  function setLang(l) {
    if (!MSG[l]) return;
    lang = l;
    render();
  }

  function setData(data) {
    D = data;
    byCode.units = index(D.units);
    byCode.indicators = index(D.indicators);
    byCode.groups = index(D.groups);
    byCode.domains = index(D.domains);
  }

  function start(data) {
    setData(data);
    lang = MSG[D.lang] ? D.lang : 'en';
    if (served) bindServed();
    document.querySelectorAll('button.lang').forEach(b => b.addEventListener('click', () => setLang(b.dataset.lang)));
    $('#print').addEventListener('click', () => window.print());
    document.addEventListener('click', e => {
      const b = e.target.closest && e.target.closest('[data-download]');
      if (b) doDownload(b.dataset.download);
    });
    document.addEventListener('change', e => { if (e.target.id === 'passport-select') openPassport(e.target.value); });
    window.addEventListener('hashchange', () => {
      const m = /^#passport\/(.+)$/.exec(location.hash);
      if (m) renderPassport(decodeURIComponent(m[1]));
    });
    window.addEventListener('beforeprint', () => charts.forEach(c => c.resize()));
    window.addEventListener('afterprint', () => charts.forEach(c => c.resize()));
    window.addEventListener('resize', () => charts.forEach(c => c.resize()));
    render();
    document.body.dataset.ready = '1';
  }

  window.qala = { setLang, openPassport };
  if (window.QALA_DATA) start(window.QALA_DATA);
  else {
    served = true;
    dataUrl = reportUrl();
    send(dataUrl).then(res => {
      if (res.status === 200) start(res.body);
      else $('#app').textContent = 'qala: ' + dataUrl + ': ' + errorText(res);
    });
  }
})();
