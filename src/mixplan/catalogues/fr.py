"""Messages en français : identifiant du message -> modèle. Mêmes clés et mêmes champs que en.py."""

MESSAGES: dict[str, str] = {
    "cli.unknown_language": "langue inconnue « {language} » : choisissez parmi {choices}",
}
