"""Les règles de `mixplan validate` en français : identifiant -> (ce qu’elle trouve, comment corriger).

The English of each rule is declared with it in rule_ids.py; a rule not
listed here is shown in English (a new rule arrives that way), and
tests/test_catalogues.py checks that every id here is declared.
"""

RULES: dict[str, tuple[str, str]] = {
    "MP001": (
        "Le fichier ne peut pas être lu\u202f: il n’existe pas, c’est un dossier, vous n’avez pas le droit de le lire, il est trop gros ou ce n’est pas du texte UTF-8.",
        "Vérifiez le chemin, les droits du fichier et son encodage (enregistrez-le en UTF-8).",
    ),
    "MP100": (
        "Le fichier n’est pas du YAML valable, ou ne contient aucun plan (vide ou seulement des commentaires).",
        "Corrigez la syntaxe à l’endroit indiqué (décalez avec des espaces, pas des tabulations\u202f; refermez guillemets et crochets), ou partez de `mixplan init`.",
    ),
    "MP101": (
        "Une clé que le format ne prévoit pas à cet endroit, souvent une faute de frappe.",
        "Renommez-la comme la clé suggérée, ou retirez-la.",
    ),
    "MP102": (
        "Une valeur du mauvais type, hors de ses limites ou absente de sa liste fermée (y compris un `mixplan:` autre que 1).",
        "Écrivez la valeur comme son type le demande\u202f: nombre tout simple, `AAAA-MM-JJ`, identifiant, l’un des mots proposés.",
    ),
    "MP103": (
        "Une clé obligatoire manque.",
        "Ajoutez la clé nommée dans le message au bloc indiqué.",
    ),
    "MP104": (
        "Un même bloc contient deux fois la même clé\u202f; YAML n’en garderait qu’une valeur, sans prévenir.",
        "Fusionnez les deux entrées ou renommez l’une d’elles.",
    ),
    "MP105": (
        "Deux éléments d’une même liste ont le même identifiant\u202f: on ne sait plus lequel est désigné.",
        "Donnez un autre identifiant à l’un d’eux et mettez à jour les références.",
    ),
    "MP106": (
        "Une référence à un identifiant qu’aucun élément de la liste visée ne porte.",
        "Corrigez l’orthographe (le message liste les identifiants connus) ou ajoutez l’élément manquant.",
    ),
    "MP107": (
        "Une action sur le canal `other` doit dire à quel P elle appartient avec `p:`.",
        "Ajoutez `p: product`, `price`, `place` ou `promotion`, ou choisissez un canal nommé.",
    ),
    "MP108": (
        "Du YAML dont un plan n’a jamais besoin\u202f: balises explicites, plus de 64 niveaux d’imbrication, alias qui se démultiplient.",
        "Écrivez du texte, des nombres, des dates, des listes et des blocs de clés\u202f; retirez les balises et les alias imbriqués.",
    ),
    "MP109": (
        "Une action a une liste `objectives` ou `targets` vide.",
        "Indiquez au moins un objectif et une cible pour elle.",
    ),
    "MP110": (
        "`lint.ignore` nomme une règle qui n’existe pas, ou une qu’on ne peut pas faire taire (MP001 à MP104, MP108, MP109 et MP112 empêchent de lire le plan\u202f: elles sont toujours signalées).",
        "Corrigez l’identifiant (`mixplan rules` les présente), ou retirez-le de `lint.ignore`.",
    ),
    "MP111": (
        "Une règle listée dans `lint.ignore` (ou donnée à `--ignore`) qui ne se serait pas déclenchée de toute façon.",
        "Retirez-la de la liste, pour que la règle puisse vous prévenir de nouveau le jour où elle compte.",
    ),
    "MP112": (
        "`plan.logo` ne désigne aucun fichier du dossier du plan, ou un fichier impossible à intégrer\u202f: hors du dossier (chemin absolu, `..`, lien qui en sort), pas un fichier ordinaire, plus de 512 Ko, pas un PNG, JPEG ou SVG d’après son contenu, ou un SVG avec scripts, gestionnaires d’événements, entités ou liens vers d’autres fichiers.",
        "Placez un logo PNG, JPEG ou SVG simple d’au plus 512 Ko dans le dossier du plan et nommez-le depuis ce dossier (`logo: brand/logo.svg`), ou retirez `plan.logo`.",
    ),
    "MP113": (
        "Un texte coupé par un `#` juste après une espace (`name: Offre #1`)\u202f: YAML lit la fin de la ligne comme un commentaire.",
        'Mettez tout le texte entre guillemets droits\u202f: `name: "Offre #1"`.',
    ),
    "MP114": (
        "Une liste entre crochets dont un élément commence par un mot qui continue une phrase (`[rapide, pas cher, et fiable]`)\u202f: les virgules ont peut-être coupé un seul texte.",
        'Pour un seul texte, mettez-le entre guillemets\u202f: `["rapide, pas cher, et fiable"]`\u202f; pour une liste, retirez le mot de liaison.',
    ),
    "MP201": (
        "Les actions, les lignes de budget et la réserve coûtent ensemble plus que `budget.total`.",
        "Réduisez les coûts, baissez la réserve ou augmentez `budget.total`.",
    ),
    "MP202": (
        "Plus de 10\u202f% du budget ne sont affectés à rien.",
        "Affectez cet argent, mettez-le en réserve, ou baissez `budget.total`.",
    ),
    "MP203": (
        "Les dépenses notées dans `results` pour une action dépassent le coût prévu pour elle.",
        "Vérifiez les lignes de résultats, ou relevez le `cost` de l’action (et `budget.total`) à ce qu’elle coûte vraiment.",
    ),
    "MP301": (
        "Une action qui n’apparaît jamais au calendrier.",
        "Ajoutez `{means: ID, start: ..., end: ...}` à `schedule`.",
    ),
    "MP302": (
        "Une date du calendrier en dehors de `plan.period`.",
        "Placez la date dans la période, ou élargissez la période.",
    ),
    "MP303": (
        "Une période ou une action du calendrier qui se termine avant de commencer.",
        "Inversez ou corrigez `start` et `end`.",
    ),
    "MP304": (
        "Toutes les actions du calendrier commencent le même jour\u202f: le travail et les dépenses arrivent d’un coup, et les premières actions n’apprennent rien aux suivantes.",
        "Échelonnez les départs\u202f: les fondations d’abord (site, référencement, offre), puis les campagnes qui s’appuient dessus.",
    ),
    "MP305": (
        "Une action ne commence qu’après les échéances de tous les objectifs qu’elle sert\u202f: elle ne peut aider à en atteindre aucun.",
        "Lancez-la plus tôt, reliez-la à un objectif dont l’échéance est plus lointaine, ou déplacez l’échéance.",
    ),
    "MP401": (
        "Un objectif dont l’échéance tombe en dehors de `plan.period`.",
        "Fixez une échéance dans la période, ou élargissez la période.",
    ),
    "MP402": (
        "Un objectif qu’aucune action ne sert\u202f: rien dans le plan ne travaille à l’atteindre.",
        "Ajoutez son identifiant aux `objectives` d’une action, ou abandonnez l’objectif.",
    ),
    "MP403": (
        "Un objectif sans point de départ\u202f: impossible de juger du progrès.",
        "Ajoutez `baseline:` avec la valeur actuelle de l’indicateur.",
    ),
    "MP404": (
        "Un objectif de taux (ctr, conversion, rebond, engagement) hors de l’intervalle de 0 à 1.",
        "Écrivez le taux en fraction\u202f: `0.02`, et non `2`, pour 2\u202f%.",
    ),
    "MP405": (
        "Une cible qu’aucune action ne touche.",
        "Ajoutez son identifiant aux `targets` d’une action, ou abandonnez la cible.",
    ),
    "MP406": (
        "`message.by_target` adapte le message pour certaines cibles, mais pas pour celle-ci.",
        "Ajoutez-lui une variante sous `message.by_target`, ou retirez les variantes si un seul message convient à tous.",
    ),
    "MP407": (
        "Un objectif ou un indicateur de suivi en dessous de zéro, pour un indicateur qui ne peut pas être négatif (un nombre, un montant, un coût par résultat, le ROAS).",
        "Écrivez la valeur à atteindre en nombre positif\u202f; pour demander une baisse, donnez un point de départ au-dessus de l’objectif.",
    ),
    "MP408": (
        "Un objectif qui ne demande aucun progrès par rapport à son point de départ, voire un recul (un nombre plus bas, un coût par résultat plus élevé).",
        "Fixez un objectif meilleur que le point de départ, ou corrigez le point de départ.",
    ),
    "MP409": (
        "Le `measure` d’un objectif ne correspond pas à son indicateur\u202f: un indicateur calculé (ROI, CAC, un taux…) est un taux, jamais un total ni un niveau\u202f; un nombre ou un montant est un total ou un niveau, jamais un taux.",
        "Écrivez `measure: rate` pour un indicateur calculé, `total` ou `level` pour un nombre, ou retirez `measure`.",
    ),
    "MP410": (
        "Le `from` d’un objectif (le début de sa période de mesure) est en dehors de `plan.period`, ou après son échéance.",
        "Placez `from` dans la période et au plus tard à l’échéance, ou retirez-le pour compter dès le début de la période.",
    ),
    "MP501": (
        "Un mois de résultats en dehors de `plan.period`.",
        "Corrigez le mois, ou déplacez la ligne dans le plan qui couvre ce mois.",
    ),
    "MP502": (
        "Une ligne de `results` pour un mois où le calendrier ne prévoit pas cette action.",
        "Vérifiez le mois et l’action de la ligne, ou ajoutez à `schedule` la période où elle a tourné.",
    ),
    "MP503": (
        "Deux lignes de `results` pour la même action et le même mois\u202f: les totaux compteraient ce mois deux fois.",
        "Fusionnez les deux lignes en une, en additionnant leurs chiffres.",
    ),
    "MP504": (
        "Les résultats des actions qui servent un objectif dépassent ce que l’entreprise a mesuré sur les mêmes mois\u202f: les actions revendiquent plus qu’il ne s’est passé (une vente comptée par deux actions, ou par une action et la caisse).",
        "Vérifiez les lignes de résultats de ces actions (une vente comptée deux fois\u202f?) et les chiffres de `measured`.",
    ),
    "MP505": (
        "Le plan a des résultats, mais aucune ligne ne contient les chiffres dont l’indicateur d’un objectif a besoin, et l’objectif n’a pas de chiffres `measured`\u202f: son avancement ne peut pas être montré.",
        "Ajoutez les chiffres de l’indicateur aux lignes de résultats, ou ceux de l’entreprise sous `measured` dans l’objectif.",
    ),
    "MP506": (
        "Un mois de `measured` en dehors de la période de mesure de l’objectif (de `from`, ou du début du plan, jusqu’à l’échéance)\u202f: le chiffre ne compterait pour rien, alors que le fichier semble dire le contraire.",
        "Corrigez le mois, déplacez `from` ou l’échéance, ou retirez le chiffre.",
    ),
    "MP507": (
        "Deux chiffres `measured` pour le même mois d’un même objectif\u202f: un total compterait ce mois deux fois.",
        "Gardez un seul chiffre pour le mois (additionnez-les s’ils en sont deux parties).",
    ),
    "MP601": (
        "Le plan place ses actions sur le parcours client, mais un objectif compte le résultat d’une étape (nouveaux clients, chiffre d’affaires\u202f: `conversion`\u202f; portée\u202f: `awareness`\u202f; clics, prospects\u202f: `consideration`) sur laquelle aucune des actions qui le servent n’est placée.",
        "Placez sur cette étape une action qui sert l’objectif (`stage: conversion`), ou ajoutez-en une qui y travaille.",
    ),
    "MP602": (
        "Certaines actions indiquent qui fait le travail (`responsible`) et celle-ci non, ce qui laisse un trou dans le tableau de l’équipe.",
        "Ajoutez `responsible:` avec la personne ou l’équipe qui s’en charge.",
    ),
    "MP611": (
        "Un risque à fort impact sans `mitigation`\u202f: le client lit que le plan pourrait en souffrir gravement et que rien n’est prévu contre.",
        "Dites dans `mitigation` ce que vous ferez pour l’éviter ou en atténuer les effets (une solution de repli, une réserve, une date pour décider).",
    ),
    "MP612": (
        "Une prochaine étape datée d’avant le début de la période du plan ou d’après sa fin\u202f: soit la date est mal saisie, soit c’est un travail à faire avant le lancement (ou après le plan), que le livrable présenterait comme faisant partie du plan.",
        "Corrigez la date. Pour une préparation à faire avant le début, gardez-la et ajoutez MP612 à `lint.ignore`\u202f; pour un travail après la fin, reportez-la au plan suivant.",
    ),
    "MP621": (
        "Un objectif dont la prévision sur sa période n’atteint pas la cible\u202f: les taux supposés et le budget des actions qui le servent (chacune prévoyant son indicateur) ne peuvent pas apporter ce qu’il demande.",
        "Donnez plus de budget ou de meilleurs taux à ces actions, ajoutez des actions qui le servent, ou revoyez la cible.",
    ),
    "MP622": (
        "Une action sert un objectif dont sa prévision ne peut pas atteindre l’indicateur, faute d’une hypothèse (vérifié quand le plan a des hypothèses, ou l’action son propre `funnel`).",
        "Ajoutez l’hypothèse nommée dans le message (sous `assumptions`, ou dans le `funnel` de l’action), ou saisissez le chiffre dans le `forecast` de l’action.",
    ),
    "MP623": (
        "La répartition mois par mois d’une action ne correspond pas à son coût\u202f: le budget par mois ne serait pas le budget.",
        "Faites correspondre le total des mois à `cost`, ou corrigez le coût.",
    ),
    "MP624": (
        "Une hypothèse qu’aucune action n’utilise\u202f: aucune action n’est sur son canal, ou chacune prend le taux dans son propre `funnel` ou dans une hypothèse écrite pour son canal (ou plus haut).",
        "Retirez-la, corrigez son canal, ou retirez le taux du `funnel` ou l’hypothèse qui passe avant elle.",
    ),
    "MP625": (
        "Un taux (ctr, taux de conversion, part de nouveaux clients) supposé supérieur à 1\u202f: un taux s’écrit en fraction de 1.",
        "Écrivez le taux en fraction\u202f: `0.025`, et non `2.5`, pour 2,5\u202f%.",
    ),
}
