"""Every text ZanQA shows a user, in Kazakh and Russian."""

from __future__ import annotations

ACT_KK = "ҚР Жоғарғы Сотының 2012 жылғы 29 желтоқсандағы № 7 нормативтік қаулысы"
ACT_RU = "Нормативное постановление Верховного Суда РК от 29 декабря 2012 года № 7"

TEXTS: dict[str, dict[str, str]] = {
    "kk": {
        "app_title": "ZanQA — адам саудасы туралы нормативтік қаулы бойынша сұрақ-жауап",
        "app_caption": ACT_KK
        + " «Адам саудасы үшін жауаптылықты белгілейтін заңнаманы қолдану практикасы туралы». "
        "Жауаптар тек қаулының мәтінінен алынады және тармақтарына сілтеме жасайды.",
        "input_placeholder": "Сұрағыңызды қазақ немесе орыс тілінде жазыңыз…",
        "interface_language": "Интерфейс тілі",
        "contents": "Қаулының мазмұны",
        "examples": "Мысал сұрақтар",
        "sources": "Дереккөздер",
        "paragraph": "{id}-тармақ",
        "amendments": "Өзгерістер тарихы",
        "no_amendments": "Бұл тармаққа өзгеріс енгізілмеген.",
        "articles": "Сілтеме жасалған кодекс баптары",
        "score": "Іздеу ұпайы",
        "copy_citation": "Сілтемені көшіру",
        "unofficial": "Орыс тіліндегі мәтін — ZanQA-ның ресми емес жұмыс аудармасы; түпнұсқа мәтін — қазақ тілінде.",
        "authoritative": "Түпнұсқа қазақ мәтіні",
        "may_be_related": "Байланысты болуы мүмкін тармақтар:",
        "not_covered": "Бұл қаулыда сіздің сұрағыңызға жауап жоқ сияқты. Қаулы адам саудасы үшін "
        "қылмыстық жауаптылықты белгілейтін заңнаманы қолдану мәселелерін ғана қамтиды.",
        "empty": "Сұрақ бос. Сұрағыңызды қазақ немесе орыс тілінде жазыңыз.",
        "too_long": "Сұрақ тым ұзын ({n} таңба). Ең көбі {limit} таңба жазыңыз.",
        "language": "Сұрақты қазақ немесе орыс тілінде қойыңыз.",
        "answer_intro": "Қаулыда былай делінген:",
        "generated": "Тілдік модельдің жауабы (әр сөйлем тармаққа сілтемемен тексерілді)",
        "dropped": "Сілтемесі тексерілмеген {n} сөйлем алынып тасталды.",
        "llm_failed": "Тілдік модель жауап бермеді; қаулыдан алынған үзінділер көрсетілді.",
        "open_paragraph": "Тармақты ашу",
        "history_clear": "Тарихты тазалау",
        "document_filter": "Құжат",
        "llm_settings": "Тілдік модель (міндетті емес)",
        "llm_endpoint": "OpenAI-үйлесімді сервер мекенжайы",
        "llm_model": "Модель атауы",
        "llm_enable": "Генерацияланған жауапты қосу",
    },
    "ru": {
        "app_title": "ZanQA — вопросы и ответы по нормативному постановлению о торговле людьми",
        "app_caption": ACT_RU + " «О практике применения законодательства, устанавливающего ответственность "
        "за торговлю людьми». Ответы строятся только из текста постановления со ссылками на его пункты.",
        "input_placeholder": "Задайте вопрос на казахском или русском языке…",
        "interface_language": "Язык интерфейса",
        "contents": "Содержание постановления",
        "examples": "Примеры вопросов",
        "sources": "Источники",
        "paragraph": "п. {id}",
        "amendments": "История изменений",
        "no_amendments": "В этот пункт изменения не вносились.",
        "articles": "Статьи кодексов, на которые ссылается пункт",
        "score": "Оценка поиска",
        "copy_citation": "Скопировать ссылку",
        "unofficial": "Русский текст — неофициальный рабочий перевод ZanQA; аутентичный текст — на казахском языке.",
        "authoritative": "Аутентичный казахский текст",
        "may_be_related": "Возможно, связаны пункты:",
        "not_covered": "Похоже, это постановление не отвечает на ваш вопрос. Оно касается только практики "
        "применения законодательства об уголовной ответственности за торговлю людьми.",
        "empty": "Вопрос пуст. Напишите вопрос на казахском или русском языке.",
        "too_long": "Вопрос слишком длинный ({n} символов). Не больше {limit} символов.",
        "language": "Задайте вопрос на казахском или русском языке.",
        "answer_intro": "В постановлении сказано:",
        "generated": "Ответ языковой модели (каждое предложение проверено по ссылке на пункт)",
        "dropped": "Удалено предложений без проверенной ссылки: {n}.",
        "llm_failed": "Языковая модель не ответила; показаны выдержки из постановления.",
        "open_paragraph": "Открыть пункт",
        "history_clear": "Очистить историю",
        "document_filter": "Документ",
        "llm_settings": "Языковая модель (необязательно)",
        "llm_endpoint": "Адрес OpenAI-совместимого сервера",
        "llm_model": "Название модели",
        "llm_enable": "Включить сгенерированный ответ",
    },
}


def t(lang: str, key: str, **kwargs) -> str:
    """The text ``key`` in ``lang`` ("kk" or "ru"; anything else falls back to Russian)."""
    table = TEXTS["kk" if lang == "kk" else "ru"]
    return table[key].format(**kwargs) if kwargs else table[key]


def paragraph_label(paragraph_id: str, lang: str, doc_id: str | None = None) -> str:
    """How a paragraph is cited inline: "(6-тармақ)" / "(п. 6)"; the preamble by
    name; a paragraph of another act than the resolution with that act's id first."""
    if paragraph_id == "preamble":
        label = "кіріспе" if lang == "kk" else "преамбула"
    else:
        label = f"{paragraph_id}-тармақ" if lang == "kk" else f"п. {paragraph_id}"
    return f"{doc_id}, {label}" if doc_id else label


def full_citation(paragraph_id: str, lang: str, doc_id: str | None = None) -> str:
    """The citation a lawyer copies into a document (another act: by its id)."""
    act = doc_id or (ACT_KK if lang == "kk" else ACT_RU)
    return f"{act}, {paragraph_label(paragraph_id, lang)}"
