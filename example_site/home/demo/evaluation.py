"""The demo's evaluation: anonymous survey answers and the staff's
self-assessment of the finished youth dialogue against Vara's four principles
(which the demo enters as the site's principles). The dialogue is fictional,
and so are the answers and the assessment."""

from wagtail_dialog.followup.evaluation import SelfAssessmentRating as Rating
from wagtail_dialog.followup.evaluation import SurveyAnswer as A

#: (understood influence, easy to take part, told the result, would take part again, suggestion) per response.
SURVEY = {
    "motesplats-for-unga-ekbacken": [
        (A.YES, A.YES, A.YES, A.YES, "Bra att vi fick träffa politikerna på riktigt."),
        (A.YES, A.YES, A.YES, A.YES, ""),
        (A.YES, A.PARTLY, A.YES, A.YES, "Verkstäderna borde ha varit på helger också."),
        (A.PARTLY, A.YES, A.YES, A.YES, ""),
        (A.YES, A.YES, A.PARTLY, A.YES, ""),
        (A.PARTLY, A.NO, A.YES, A.PARTLY, "Svårt att hinna efter träningen. Sms:a tiderna i stället."),
        (A.YES, A.YES, A.YES, A.DONT_KNOW, ""),
        (A.NO, A.YES, A.NO, A.NO, "Jag förstod inte vad vi fick bestämma om."),
    ],
    "park-och-lekplats-norrby": [
        (A.YES, A.YES, A.NO, A.YES, ""),
        (A.YES, A.PARTLY, A.DONT_KNOW, A.YES, "Enkäten borde finnas på fler språk."),
        (A.PARTLY, A.YES, A.NO, A.YES, ""),
    ],
}

#: The staff's assessment of the youth dialogue, principle by principle (in the order of Vara's four).
SELF_ASSESSMENT = {
    "motesplats-for-unga-ekbacken": [
        (Rating.MET, "Nämnden tog initiativet och de unga fick påverka både plats och innehåll."),
        (Rating.PARTLY, "Vi nådde många unga men få som tränar på kvällarna; nästa gång fler tider och sms."),
        (Rating.MOSTLY, "Graden av inflytande stod i inbjudan, men en del deltagare förstod den inte."),
        (Rating.MET, "Återkopplingen gavs på utsatt dag, på ett möte och på webben."),
    ],
}
