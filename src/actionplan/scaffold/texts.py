"""Placeholders to fill in, in the languages OGP Local members publish in most (English
otherwise), and the hint each new file carries in its opening comment."""

from __future__ import annotations

from collections.abc import Callable

TODO: dict[str, dict[str, str]] = {
    "plan-title": {
        "en": "TODO: title of the action plan",
        "fr": "TODO: titre du plan d'action",
        "es": "TODO: título del plan de acción",
        "pt": "TODO: título do plano de ação",
    },
    "long_term_vision": {
        "en": "TODO: describe the long-term vision for open government in your jurisdiction.",
        "fr": "TODO: décrire la vision à long terme du gouvernement ouvert sur votre territoire.",
        "es": "TODO: describir la visión a largo plazo del gobierno abierto en su jurisdicción.",
        "pt": "TODO: descrever a visão de longo prazo para o governo aberto na sua jurisdição.",
    },
    "challenges": {
        "en": "TODO: describe the challenges the plan addresses.",
        "fr": "TODO: décrire les défis auxquels le plan répond.",
        "es": "TODO: describir los desafíos que aborda el plan.",
        "pt": "TODO: descrever os desafios que o plano enfrenta.",
    },
    "objectives": {
        "en": "TODO: describe the objective and scope of the plan.",
        "fr": "TODO: décrire l'objectif et le périmètre du plan.",
        "es": "TODO: describir el objetivo y el alcance del plan.",
        "pt": "TODO: descrever o objetivo e o escopo do plano.",
    },
    "process": {
        "en": "TODO: describe how the plan was co-created: meetings, consultations, forum.",
        "fr": "TODO: décrire la co-création du plan (réunions, consultations, forum).",
        "es": "TODO: describir cómo se co-creó el plan: reuniones, consultas, foro.",
        "pt": "TODO: descrever como o plano foi cocriado: reuniões, consultas, fórum.",
    },
    "monitoring": {
        "en": "TODO: describe how the plan is followed and evaluated.",
        "fr": "TODO: décrire le suivi et l'évaluation du plan.",
        "es": "TODO: describir cómo se da seguimiento al plan y cómo se evalúa.",
        "pt": "TODO: descrever como o plano é acompanhado e avaliado.",
    },
    "commitment-title": {
        "en": "TODO: title of the commitment",
        "fr": "TODO: titre de l'engagement",
        "es": "TODO: título del compromiso",
        "pt": "TODO: título do compromisso",
    },
    "summary": {
        "en": "TODO: summarise the commitment in a few sentences.",
        "fr": "TODO: résumer l'engagement en quelques phrases.",
        "es": "TODO: resumir el compromiso en pocas frases.",
        "pt": "TODO: resumir o compromisso em poucas frases.",
    },
    "agency": {
        "en": "TODO: lead agency or department",
        "fr": "TODO: service ou direction pilote",
        "es": "TODO: institución o dependencia responsable",
        "pt": "TODO: órgão ou secretaria responsável",
    },
    "problem": {
        "en": "TODO: what problem does the commitment address?",
        "fr": "TODO: quel problème l'engagement traite-t-il ?",
        "es": "TODO: ¿qué problema aborda el compromiso?",
        "pt": "TODO: que problema o compromisso aborda?",
    },
    "causes": {
        "en": "TODO: what are the causes of the problem?",
        "fr": "TODO: quelles sont les causes du problème ?",
        "es": "TODO: ¿cuáles son las causas del problema?",
        "pt": "TODO: quais são as causas do problema?",
    },
    "status_quo": {
        "en": "TODO: what has been done so far, and where do things stand?",
        "fr": "TODO: qu'a-t-on fait jusqu'ici, et où en est-on ?",
        "es": "TODO: ¿qué se ha hecho hasta ahora y cuál es la situación actual?",
        "pt": "TODO: o que já foi feito e qual é a situação atual?",
    },
    "solution": {
        "en": "TODO: what does the commitment do about the problem?",
        "fr": "TODO: que fait l'engagement pour résoudre le problème ?",
        "es": "TODO: ¿qué hace el compromiso para resolver el problema?",
        "pt": "TODO: o que o compromisso faz para resolver o problema?",
    },
    "results": {
        "en": "TODO: what results are expected?",
        "fr": "TODO: quels résultats sont attendus ?",
        "es": "TODO: ¿qué resultados se esperan?",
        "pt": "TODO: que resultados são esperados?",
    },
    "transparency": {
        "en": "TODO: how does the commitment make government more transparent?",
        "fr": "TODO: en quoi l'engagement rend-il l'administration plus transparente ?",
        "es": "TODO: ¿cómo hace el compromiso que el gobierno sea más transparente?",
        "pt": "TODO: como o compromisso torna o governo mais transparente?",
    },
    "milestone-title": {
        "en": "TODO: first milestone",
        "fr": "TODO: premier jalon",
        "es": "TODO: primer hito",
        "pt": "TODO: primeiro marco",
    },
    "expected_output": {
        "en": "TODO: the verifiable output expected",
        "fr": "TODO: le livrable vérifiable attendu",
        "es": "TODO: el producto verificable esperado",
        "pt": "TODO: o produto verificável esperado",
    },
    "note": {
        "en": "TODO: say where this milestone stands.",
        "fr": "TODO: indiquer où en est ce jalon.",
        "es": "TODO: indicar en qué punto está este hito.",
        "pt": "TODO: indicar em que ponto está este marco.",
    },
    "point-of-contact": {
        "en": "TODO: name of the government point of contact",
        "fr": "TODO: nom du point de contact de l'administration",
        "es": "TODO: nombre del punto de contacto del gobierno",
        "pt": "TODO: nome do ponto de contato do governo",
    },
    "monitoring-body": {
        "en": "TODO: name of the independent monitoring body",
        "fr": "TODO: nom de l'organe de suivi indépendant",
        "es": "TODO: nombre del órgano de monitoreo independiente",
        "pt": "TODO: nome do órgão de monitoramento independente",
    },
    "contact": {
        "en": "TODO: name of the person responsible",
        "fr": "TODO: nom de la personne responsable",
        "es": "TODO: nombre de la persona responsable",
        "pt": "TODO: nome da pessoa responsável",
    },
    "translate": {
        "en": "TODO: translate",
        "fr": "TODO: traduire",
        "es": "TODO: traducir",
        "pt": "TODO: traduzir",
    },
    "forum-name": {
        "en": "TODO: name of the multi-stakeholder forum",
        "fr": "TODO: nom du forum multi-acteurs",
        "es": "TODO: nombre del foro multiactor",
        "pt": "TODO: nome do fórum multissetorial",
    },
    "mandate": {
        "en": "TODO: describe what the forum does and how it is used through the cycle.",
        "fr": "TODO: décrire le rôle du forum et son usage tout au long du cycle.",
        "es": "TODO: describir qué hace el foro y cómo se usa a lo largo del ciclo.",
        "pt": "TODO: descrever o que o fórum faz e como é usado ao longo do ciclo.",
    },
    "civil-society-member": {
        "en": "TODO: name of a civil society member",
        "fr": "TODO: nom d'un membre de la société civile",
        "es": "TODO: nombre de un miembro de la sociedad civil",
        "pt": "TODO: nome de um membro da sociedade civil",
    },
    "activity": {
        "en": "TODO: what is done in this phase",
        "fr": "TODO: ce qui est fait dans cette phase",
        "es": "TODO: qué se hace en esta fase",
        "pt": "TODO: o que é feito nesta fase",
    },
    "meeting-title": {
        "en": "TODO: title of the meeting",
        "fr": "TODO: titre de la réunion",
        "es": "TODO: título de la reunión",
        "pt": "TODO: título da reunião",
    },
    "meeting-summary": {
        "en": "TODO: what was discussed and decided.",
        "fr": "TODO: ce qui a été discuté et décidé.",
        "es": "TODO: qué se discutió y qué se decidió.",
        "pt": "TODO: o que foi discutido e decidido.",
    },
    "consultation-title": {
        "en": "TODO: title of the consultation",
        "fr": "TODO: titre de la consultation",
        "es": "TODO: título de la consulta",
        "pt": "TODO: título da consulta",
    },
}

HINTS = {
    "member": "Fill in every TODO, then run `actionplan validate`.\n"
    "Optional: website; point_of_contact also takes role, organization, email, phone.",
    "vision": "Fill in every TODO, then run `actionplan validate`.\n"
    "Optional: foreword, alignment, coordination, approval (without it, outputs are drafts).",
    "commitment": "Fill in every TODO, then run `actionplan validate`.\n"
    "Optional: resources, risks, open_gov_challenge; ogp_values also takes accountability,\n"
    "participation and inclusion; a milestone also takes lead and stakeholders.",
    "progress": "Add an entry below the last one at each update, oldest first. Statuses:\n"
    "not-started, in-progress, complete, stalled, abandoned. An entry also takes\n"
    "evidence (a list of title and url) and reported_by.",
    "forum": "Fill in every TODO, then run `actionplan validate`. Sectors: government,\n"
    "civil-society, private-sector, academia, community, other. A member also takes\n"
    "organization, role, from and until. Optional: established, terms_of_reference,\n"
    "co_chairs (names of members).",
    "roadmap": "The dates are a proposal: set them to the co-creation the forum agrees, then\n"
    "publish the roadmap. Phases: prepare, discover, draft, submit, implement, learn.\n"
    "An activity also takes owner and channels (how people take part or are told).",
    "meeting": "Fill in every TODO, then run `actionplan validate`. Optional: attendance (total\n"
    "and by sector), documents (title, url, published: before the meeting), minutes\n"
    "(url, published), commitments (ids of the commitments discussed).",
    "contributions": "Add one item per contribution received: id and text (as received), and\n"
    "date, author (left out for anonymous input), sector, language, commitments.\n"
    "Answer each with a response: status (accepted, partially-accepted, not-accepted,\n"
    "already-covered, out-of-scope) and its reason, and date, commitments, milestones.\n"
    "Optional: open (start and end), url.",
}


def todo(key: str, lang: str) -> str:
    texts = TODO[key]
    return texts.get(lang, texts["en"])


def localized(languages: list[str], text: Callable[[str], str]) -> str | dict[str, str]:
    """One text for a single-language member, a mapping by language code otherwise."""
    if len(languages) == 1:
        return text(languages[0])
    return {lang: text(lang) for lang in languages}


def placeholder(key: str, languages: list[str]) -> str | dict[str, str]:
    return localized(languages, lambda lang: todo(key, lang))


def given(value: str, languages: list[str]) -> str | dict[str, str]:
    """A text the user gave (in the primary language), with translations still to do."""
    primary = languages[0]
    return localized(
        languages,
        lambda lang: (
            value if lang == primary else f"{todo('translate', lang)} ({primary}): {value}"
        ),
    )
